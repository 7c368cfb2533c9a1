package dev.trimtab.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.server.api.PromptInput;
import dev.trimtab.server.api.PromptInput.ChatMessage;
import dev.trimtab.server.api.PromptInput.ChatOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ten real chat templates times twelve conversations, each rendering compared with what Jinja2
 * configured as transformers' {@code apply_chat_template} renders (the fixtures of
 * {@code resources/chat-templates}, written by its {@code regenerate.py}; nothing here runs Python).
 */
class ChatTemplateCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/chat-templates/";

    /** regenerate.py's CLOCK: 2026-01-15 09:30. */
    static final Clock CLOCK =
            Clock.fixed(LocalDateTime.of(2026, 1, 15, 9, 30).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    static Stream<Arguments> fixtures() {
        JsonNode conversations = read("conversations.json");
        JsonNode expected = read("expected.json");
        List<Arguments> fixtures = new ArrayList<>();
        for (JsonNode template : read("templates.json").get("templates")) {
            for (JsonNode conversation : conversations.get("conversations")) {
                String name = template.get("name").asText();
                fixtures.add(Arguments.of(
                        name + " × " + conversation.get("name").asText(),
                        template,
                        chat(conversation, conversations.get("tools")),
                        expected.get(name).get(conversation.get("name").asText())));
            }
        }
        return fixtures.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void rendersAsTransformers(String name, JsonNode template, PromptInput.Chat chat, JsonNode expected) {
        ChatTemplate chatTemplate = new ChatTemplate(files(template), CLOCK);
        if (expected.has("prompt")) {
            assertThat(render(chatTemplate, chat))
                    .isEqualTo(expected.get("prompt").asText());
        } else {
            assertThatThrownBy(() -> chatTemplate.prompt(chat))
                    .isInstanceOfSatisfying(ChatTemplateException.class, e -> {
                        assertThat(e.code()).isEqualTo(ChatTemplateException.Code.RAISED);
                        assertThat(e.getMessage())
                                .isEqualTo(expected.get("raises").asText());
                    });
        }
    }

    private static String render(ChatTemplate template, PromptInput.Chat chat) {
        try {
            return template.prompt(chat);
        } catch (ChatTemplateException e) {
            throw new AssertionError(e.code() + ": " + e.getMessage(), e);
        }
    }

    static ChatTemplateFiles files(JsonNode template) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String token : List.of("bos_token", "eos_token")) {
            if (template.get(token).isTextual())
                tokens.put(token, template.get(token).asText());
        }
        String source = text("templates/" + template.get("name").asText() + ".jinja");
        return new ChatTemplateFiles(Map.of("default", source), tokens);
    }

    private static PromptInput.Chat chat(JsonNode conversation, JsonNode tools) {
        List<ChatMessage> messages = new ArrayList<>();
        conversation.get("messages").forEach(m -> messages.add(message(m)));
        Map<String, JsonNode> kwargs = new LinkedHashMap<>();
        conversation.path("chat_template_kwargs").properties().forEach(e -> kwargs.put(e.getKey(), e.getValue()));
        List<JsonNode> toolList = new ArrayList<>();
        tools.forEach(toolList::add);
        Optional<List<JsonNode>> offered =
                conversation.path("tools").asBoolean() ? Optional.of(toolList) : Optional.empty();
        return new PromptInput.Chat(messages, new ChatOptions(offered, Optional.empty(), Optional.empty(), kwargs));
    }

    private static ChatMessage message(JsonNode m) {
        List<PromptInput.ToolCall> calls = new ArrayList<>();
        m.path("tool_calls")
                .forEach(call -> calls.add(new PromptInput.ToolCall(
                        call.get("id").asText(),
                        call.get("function").get("name").asText(),
                        call.get("function").get("arguments"))));
        return new ChatMessage(
                m.get("role").asText(),
                m.get("content").asText(),
                optional(m, "name"),
                calls,
                optional(m, "tool_call_id"),
                optional(m, "reasoning_content"));
    }

    private static Optional<String> optional(JsonNode node, String field) {
        return node.has(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    static JsonNode read(String file) {
        try {
            return JSON.readTree(text(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String file) {
        try (InputStream in = ChatTemplateCorpusTest.class.getResourceAsStream(ROOT + file)) {
            if (in == null) throw new IllegalStateException("missing fixture " + ROOT + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
