package dev.trimtab.loadtest.workload;

import java.util.OptionalInt;

/**
 * One prompt and, when its source says so, the max_tokens to ask for (a JSONL line may carry its own).
 *
 * @param text the prompt text, sent as {@code "prompt"}
 * @param maxTokens the line's own max_tokens; empty to draw from the workload's distribution
 */
public record Prompt(String text, OptionalInt maxTokens) {
    public Prompt {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("prompt text must be a non-empty string, got " + text);
        }
    }

    public static Prompt of(String text) {
        return new Prompt(text, OptionalInt.empty());
    }
}
