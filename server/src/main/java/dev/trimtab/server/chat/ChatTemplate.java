package dev.trimtab.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.PromptInput;
import dev.trimtab.server.api.PromptInput.ChatMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Turns a chat request into a prompt the way transformers' {@code apply_chat_template} does. A model
 * whose directory carries a chat template ({@link ChatTemplateFiles}) renders it with {@code
 * messages}, {@code tools}, {@code documents}, {@code add_generation_prompt = true}, its special
 * tokens and the request's {@code chat_template_kwargs}; the prompt already spells its special
 * tokens, so it is tokenized without adding any. Otherwise the default template writes one line per
 * message, {@code "<Role>: <content>"}, and ends with {@code "Assistant:"}.
 */
public final class ChatTemplate {
    private static final JinjaRenderer RENDERER = new JinjaRenderer();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatTemplateFiles files;
    private final Clock clock;

    ChatTemplate(ChatTemplateFiles files, Clock clock) {
        this.files = files;
        this.clock = clock;
    }

    /** The template of {@code modelDirectory}, or the default one; {@code strftime_now} reads the system clock. */
    public static ChatTemplate of(Path modelDirectory) {
        return new ChatTemplate(ChatTemplateFiles.read(modelDirectory), Clock.systemDefaultZone());
    }

    /** Whether the model has a Jinja template, whose prompt spells its own special tokens. */
    public boolean isJinja() {
        return files.hasTemplate();
    }

    /**
     * The prompt of {@code chat}.
     *
     * @throws ApiException 400 on {@code messages} with the template's own message when the template
     *     raises; 422 {@code chat_template_error} when the template cannot be run here
     */
    public String render(PromptInput.Chat chat) {
        try {
            return prompt(chat);
        } catch (ChatTemplateException e) {
            throw switch (e.code()) {
                case RAISED -> ApiException.invalid("messages", e.getMessage());
                case UNSUPPORTED ->
                    new ApiException(
                            422,
                            "invalid_request_error",
                            null,
                            "chat_template_error",
                            "the model's chat template cannot be rendered by this server (" + e.getMessage()
                                    + "); the request is not at fault: render the prompt yourself and use"
                                    + " /v1/completions, or give the model a template this server supports");
            };
        }
    }

    /**
     * The token ids of {@code chat}'s prompt. A Jinja template's prompt is encoded without special
     * tokens, as transformers does ({@code add_special_tokens=False}): it spells its own BOS, and a
     * tokenizer whose post-processor prepends one would otherwise start it with two. The default
     * template spells none, so the tokenizer adds its own, as for a completion. {@code lengthCheck}
     * sees the rendered prompt (and the field to blame, {@code messages}) before it is encoded.
     * Message content is text: where it spells a special token, it is encoded as text (see {@link
     * ChatContentSpans}), so that only the template itself places special tokens.
     */
    public long[] tokens(PromptInput.Chat chat, TextTokenizer tokenizer, BiConsumer<String, String> lengthCheck) {
        String prompt = render(chat);
        lengthCheck.accept(prompt, "messages");
        if (chat.messages().stream().anyMatch(message -> tokenizer.spellsSpecialToken(message.content()))) {
            return ChatContentSpans.tokens(prompt, chat.messages(), tokenizer, !isJinja());
        }
        return isJinja() ? tokenizer.encodeWithoutSpecialTokens(prompt) : tokenizer.encode(prompt);
    }

    String prompt(PromptInput.Chat chat) throws ChatTemplateException {
        Optional<String> template = files.select(chat.options().tools().isPresent());
        if (template.isEmpty()) return renderDefault(chat.messages());
        return RENDERER.render(template.get(), variables(chat), clock);
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

    /** As transformers' {@code render_jinja_template}: tools and documents always (None when absent). */
    private Map<String, Object> variables(PromptInput.Chat chat) {
        PromptInput.ChatOptions options = chat.options();
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(
                "messages", chat.messages().stream().map(ChatTemplate::message).toList());
        variables.put("tools", options.tools().map(ChatTemplate::plainList).orElse(null));
        variables.put(
                "documents", options.documents().map(ChatTemplate::plainList).orElse(null));
        variables.put("add_generation_prompt", true);
        options.toolChoice().ifPresent(choice -> variables.put("tool_choice", plain(choice)));
        variables.putAll(files.specialTokens());
        options.templateKwargs().forEach((name, value) -> variables.put(name, plain(value)));
        return variables;
    }

    private static Map<String, Object> message(ChatMessage message) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", message.role());
        map.put("content", message.content());
        message.name().ifPresent(name -> map.put("name", name));
        message.reasoningContent().ifPresent(reasoning -> map.put("reasoning_content", reasoning));
        message.toolCallId().ifPresent(id -> map.put("tool_call_id", id));
        if (!message.toolCalls().isEmpty()) {
            map.put(
                    "tool_calls",
                    message.toolCalls().stream().map(ChatTemplate::toolCall).toList());
        }
        return map;
    }

    private static Map<String, Object> toolCall(PromptInput.ToolCall call) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", call.name());
        function.put("arguments", plain(call.arguments()));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", call.id());
        map.put("type", "function");
        map.put("function", function);
        return map;
    }

    private static Object plainList(List<JsonNode> nodes) {
        return nodes.stream().map(ChatTemplate::plain).toList();
    }

    /** JSON as the maps, lists, strings, numbers and booleans a template reads (key order kept). */
    private static Object plain(JsonNode node) {
        return JSON.convertValue(node, Object.class);
    }
}
