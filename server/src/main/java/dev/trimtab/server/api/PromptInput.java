package dev.trimtab.server.api;

import java.util.List;

/** One prompt of a request: text, token ids, or chat messages rendered by the model's chat template. */
public sealed interface PromptInput {
    /** A text prompt. */
    record Text(String text) implements PromptInput {}

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

    /** The messages of a chat completion. */
    record Chat(List<ChatMessage> messages) implements PromptInput {
        public Chat {
            messages = List.copyOf(messages);
        }
    }

    /** One chat message. */
    record ChatMessage(String role, String content) {}
}
