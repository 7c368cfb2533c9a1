package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import dev.trimtab.decoding.model.JsonFiles;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.PromptInput.ChatMessage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns chat messages into a prompt. A model whose {@code tokenizer_config.json} carries a
 * {@code chat_template} (Jinja) uses it, rendered with {@code messages}, {@code bos_token},
 * {@code eos_token} and {@code add_generation_prompt = true}. Otherwise the default template
 * writes one line per message, {@code "<Role>: <content>"}, and ends with {@code "Assistant:"}.
 */
public final class ChatTemplate {
    private final Optional<String> template;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava = new Jinjava();

    private ChatTemplate(Optional<String> template, String bosToken, String eosToken) {
        this.template = template;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /** The template of {@code modelDirectory}, or the default one. */
    public static ChatTemplate of(Path modelDirectory) {
        Optional<JsonNode> config = JsonFiles.readOptional(modelDirectory.resolve("tokenizer_config.json"));
        return new ChatTemplate(
                config.flatMap(ChatTemplate::template),
                config.map(c -> tokenText(c.get("bos_token"))).orElse(""),
                config.map(c -> tokenText(c.get("eos_token"))).orElse(""));
    }

    private static Optional<String> template(JsonNode config) {
        JsonNode node = config.get("chat_template");
        if (node == null || node.isNull()) return Optional.empty();
        if (node.isTextual()) return Optional.of(node.asText());
        for (JsonNode named : node) {
            if ("default".equals(named.path("name").asText()))
                return Optional.of(named.path("template").asText());
        }
        return Optional.empty();
    }

    private static String tokenText(JsonNode token) {
        if (token == null || token.isNull()) return "";
        return token.isTextual() ? token.asText() : token.path("content").asText("");
    }

    public String render(List<ChatMessage> messages) {
        return template.map(jinja -> renderJinja(jinja, messages)).orElseGet(() -> renderDefault(messages));
    }

    private static String renderDefault(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            String role = message.role();
            prompt.append(Character.toUpperCase(role.charAt(0)))
                    .append(role.substring(1))
                    .append(": ")
                    .append(message.content())
                    .append('\n');
        }
        return prompt.append("Assistant:").toString();
    }

    private String renderJinja(String jinja, List<ChatMessage> messages) {
        Map<String, Object> context = new HashMap<>();
        context.put(
                "messages",
                messages.stream()
                        .map(m -> Map.of("role", m.role(), "content", m.content()))
                        .toList());
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put("add_generation_prompt", true);
        RenderResult result = jinjava.renderForResult(jinja, context);
        if (!result.getErrors().isEmpty()) {
            throw ApiException.invalid(
                    "messages",
                    "the model's chat template failed: "
                            + result.getErrors().get(0).getMessage());
        }
        return result.getOutput();
    }
}
