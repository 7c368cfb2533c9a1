package dev.trimtab.decoding.sampling;

/**
 * Temperature scaling {@code l' = l / T}: T below 1 sharpens the softmax, above 1 flattens it.
 * Greedy decoding (T = 0) takes the argmax instead and never builds this processor.
 */
public final class Temperature implements LogitsProcessor {

    /** Largest quotient left unshifted: far inside the float range, so later sums cannot overflow. */
    private static final double MAX_UNSHIFTED = 1e30;

    private final double temperature;

    /** A temperature T in (0, 100]. */
    public Temperature(double temperature) {
        if (!(temperature > 0 && temperature <= SamplingParams.MAX_TEMPERATURE)) {
            throw new IllegalArgumentException(
                    "temperature must be in (0, 100] (0 is greedy and needs no processor), got " + temperature);
        }
        this.temperature = temperature;
    }

    /**
     * Divides by T; when the quotients would leave the float range (a T as small as 1e-40), divides
     * {@code l − max l} instead: the same softmax, every entry at most 0 (-Infinity at worst), so
     * that a tiny T decodes as greedy with ties broken by the sampler rather than failing.
     */
    @Override
    public void process(float[] logits, TokenHistory history) {
        float max = Float.NEGATIVE_INFINITY;
        float largest = 0;
        for (float logit : logits) {
            if (logit > max) max = logit;
            if (logit != Float.NEGATIVE_INFINITY) largest = Math.max(largest, Math.abs(logit));
        }
        if (max == Float.NEGATIVE_INFINITY) return;
        double shift = largest / temperature <= MAX_UNSHIFTED ? 0 : max;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) ((logits[i] - shift) / temperature);
        }
    }

    @Override
    public String toString() {
        return "Temperature[" + temperature + "]";
    }
}
