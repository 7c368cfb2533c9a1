package dev.trimtab.decoding.generate;

/**
 * A finished sequence.
 *
 * @param text the completion, stop sequence excluded
 * @param tokenIds the generated token ids (an end-of-sequence token excluded)
 * @param finishReason why it ended
 * @param promptTokens tokens in the prompt
 */
public record Completion(String text, long[] tokenIds, FinishReason finishReason, int promptTokens) {

    public Completion {
        tokenIds = tokenIds.clone();
    }

    @Override
    public long[] tokenIds() {
        return tokenIds.clone();
    }

    public int completionTokens() {
        return tokenIds.length;
    }
}
