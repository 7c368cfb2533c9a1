package dev.trimtab.decoding.sampling;

/**
 * Min-p filtering (Nguyen et al. 2024, "Turning Up the Heat"): keeps token i iff {@code p_i ≥ p_min
 * · max_j p_j}.
 *
 * <p>Since {@code p_i / p_max = exp(l_i − l_max)}, the test is {@code l_i ≥ l_max + ln p_min} on
 * the logits themselves: one pass, no softmax. The top token always survives.
 */
public final class MinP implements LogitsProcessor {

    private final double minP;
    private final double logMinP;

    /** Keeps tokens at least {@code minP} times as likely as the top one, minP in (0, 1]. */
    public MinP(double minP) {
        if (!(minP > 0 && minP <= 1)) {
            throw new IllegalArgumentException(
                    "minP must be in (0, 1] to build a MinP processor (0 disables it), got " + minP);
        }
        this.minP = minP;
        this.logMinP = Math.log(minP);
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        double threshold = logits[Logits.argmax(logits)] + logMinP;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < threshold) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "MinP[" + minP + "]";
    }
}
