package dev.trimtab.decoding.generate;

/**
 * A finished sequence.
 *
 * @param text the completion, stop sequence excluded
 * @param tokenIds the generated token ids (an end-of-sequence token excluded)
 * @param finishReason why it ended
 * @param promptTokens tokens in the prompt
 * @param endOfSequence whether an end-of-sequence token ended it: a token generated (and counted in
 *     {@link #completionTokens()}, as vLLM counts it) though not part of {@code tokenIds} or the text
 */
public record Completion(
        String text, long[] tokenIds, FinishReason finishReason, int promptTokens, boolean endOfSequence) {

    public Completion {
        tokenIds = tokenIds.clone();
    }

    @Override
    public long[] tokenIds() {
        return tokenIds.clone();
    }

    /** Tokens generated: {@code tokenIds}, and the end-of-sequence token when one ended the sequence. */
    public int completionTokens() {
        return tokenIds.length + (endOfSequence ? 1 : 0);
    }
}
