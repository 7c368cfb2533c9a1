package dev.trimtab.server.serving;

import dev.trimtab.server.api.ApiException;

/**
 * Rejects, before encoding, a prompt text too long for the context whatever the tokenizer makes of
 * it: every token spells at most {@code longestToken} chars of the text, so a text longer than
 * {@code context × longestToken} chars cannot fit. A slack factor of 2 covers normalizers that
 * compose characters. Encoding a megabyte takes seconds; this check takes a length.
 */
final class PromptBound {
    private static final int SLACK = 2;

    private final int context;
    private final long maxChars;

    PromptBound(int context, int longestToken) {
        this.context = context;
        this.maxChars = (long) context * longestToken * SLACK;
    }

    void check(String text, String field) {
        if (text.length() > maxChars) {
            throw new ApiException(
                    400,
                    "invalid_request_error",
                    field,
                    "context_length_exceeded",
                    field + " has " + text.length() + " characters, more than any prompt of at most " + context
                            + " tokens (the model's context) can have; shorten it");
        }
    }
}
