package dev.trimtab.decoding.sampling;

/**
 * The log-softmax {@code log p_i = l_i − m − log Σ_j exp(l_j − m)}, with m the largest logit so
 * that no exponential overflows; the sum and the subtraction run in double. Masked entries
 * (-Infinity) get log-probability -Infinity.
 */
public final class LogSoftmax {

    private LogSoftmax() {}

    /**
     * Writes the log-probabilities of {@code logits} into {@code out}, which may be {@code logits}
     * itself.
     *
     * @throws IllegalArgumentException if the lengths differ, an entry is NaN or +Infinity, or every
     *     entry is -Infinity
     */
    public static void apply(float[] logits, float[] out) {
        if (out.length != logits.length) {
            throw new IllegalArgumentException(
                    "out.length must equal logits.length " + logits.length + ", got " + out.length);
        }
        double shift = logSumExp(logits);
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (logits[i] - shift);
        }
    }

    /**
     * The normalizer {@code log Σ_j exp(l_j)}, computed as {@code m + log Σ_j exp(l_j − m)}: the
     * log-probability of token i is {@code l_i} minus it.
     *
     * @throws IllegalArgumentException if an entry is NaN or +Infinity, or every entry is -Infinity
     */
    public static double logSumExp(float[] logits) {
        double max = logits[Logits.argmax(logits)];
        return max + Math.log(sumExp(logits, max));
    }

    /** {@code Σ_j exp(l_j − max)}, skipping masked entries. */
    private static double sumExp(float[] logits, double max) {
        double sum = 0;
        for (float x : logits) {
            if (x > Float.NEGATIVE_INFINITY) {
                sum += Math.exp(x - max);
            }
        }
        return sum;
    }
}
