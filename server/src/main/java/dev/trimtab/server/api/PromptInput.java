package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One prompt of a request: text, token ids, or chat messages rendered by the model's chat template. */
public sealed interface PromptInput {
    /**
     * A text prompt.
     *
     * @param specialTokensAsText whether text spelling a special token is encoded as text (the
     *     request's {@code split_special_tokens}); by default it becomes the token, as in Hugging Face
     */
    record Text(String text, boolean specialTokensAsText) implements PromptInput {}

    /** A prompt given as token ids. */
    record Tokens(long[] ids) implements PromptInput {
        public Tokens {
            ids = ids.clone();
        }

        @Override
        public long[] ids() {
            return ids.clone();
        }
    }

    /** The messages of a chat completion, and what else the chat template reads. */
    record Chat(List<ChatMessage> messages, ChatOptions options) implements PromptInput {
        public Chat {
            messages = List.copyOf(messages);
        }

        public Chat(List<ChatMessage> messages) {
            this(messages, ChatOptions.NONE);
        }
    }

    /**
     * One chat message.
     *
     * @param role system, user, assistant, developer or tool
     * @param content its text ({@code ""} when the wire has none)
     * @param name the optional {@code name} (a participant, or the tool that answered)
     * @param toolCalls an assistant's tool calls
     * @param toolCallId the call a tool message answers
     * @param reasoningContent an assistant's reasoning, kept apart from its content
     */
    record ChatMessage(
            String role,
            String content,
            Optional<String> name,
            List<ToolCall> toolCalls,
            Optional<String> toolCallId,
            Optional<String> reasoningContent) {
        public ChatMessage {
            toolCalls = List.copyOf(toolCalls);
        }

        public ChatMessage(String role, String content) {
            this(role, content, Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * A function call an assistant made.
     *
     * @param id the call's id
     * @param name the function's name
     * @param arguments the arguments, parsed from the wire's JSON string (as vLLM passes them to templates)
     */
    record ToolCall(String id, String name, JsonNode arguments) {}

    /**
     * The chat-template inputs besides the messages, as the client sent them (each checked for shape
     * by the parser; absent is not empty, as templates test {@code tools is not none}): {@code tools} (OpenAI function tools), {@code tool_choice}, {@code documents}
     * and {@code chat_template_kwargs} (extra template variables, e.g. Qwen3's {@code enable_thinking}).
     */
    record ChatOptions(
            Optional<List<JsonNode>> tools,
            Optional<JsonNode> toolChoice,
            Optional<List<JsonNode>> documents,
            Map<String, JsonNode> templateKwargs) {
        /** No tools, documents or extra variables. */
        public static final ChatOptions NONE =
                new ChatOptions(Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

        public ChatOptions {
            tools = tools.map(List::copyOf);
            documents = documents.map(List::copyOf);
            templateKwargs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(templateKwargs));
        }
    }
}
