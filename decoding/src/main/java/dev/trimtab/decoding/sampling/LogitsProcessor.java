package dev.trimtab.decoding.sampling;

/**
 * Rewrites one row's next-token logits in place, like Hugging Face's {@code LogitsProcessor}.
 *
 * <p>A masked token's logit becomes {@link Float#NEGATIVE_INFINITY}. Implementations may keep
 * scratch buffers between calls, so an instance belongs to one row.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /** Transforms {@code logits}, one entry per vocabulary id, given the ids the row has seen. */
    void process(float[] logits, TokenHistory history);
}
