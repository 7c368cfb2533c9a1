package dev.trimtab.decoding.sampling;

/**
 * CTRL's repetition penalty (Keskar et al. 2019, eq. in section 4.1), with Hugging Face's sign
 * rule: for every token id the row has already seen, {@code l' = l / θ} if {@code l > 0} and
 * {@code l' = l · θ} otherwise, so θ > 1 always makes a seen token less likely.
 *
 * <p>Visits only the distinct seen ids, never the whole vocabulary; seen ids outside the logits
 * (e.g. special tokens of a larger tokenizer) are skipped.
 */
public final class RepetitionPenalty implements LogitsProcessor {

    private final float penalty;

    /** A penalty θ in (0, 10]; 1 changes nothing. */
    public RepetitionPenalty(double penalty) {
        if (!(penalty > 0 && penalty <= SamplingParams.MAX_REPETITION_PENALTY)) {
            throw new IllegalArgumentException("repetitionPenalty must be in (0, 10], got " + penalty);
        }
        this.penalty = (float) penalty;
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        for (int i = 0; i < history.distinctCount(); i++) {
            int id = history.distinctId(i);
            if (id < logits.length) {
                logits[id] = penalize(logits[id]);
            }
        }
    }

    /** Saturates at the float range: a θ as small as 1e-40 makes seen tokens as likely as floats allow. */
    private float penalize(float logit) {
        float penalized = logit > 0 ? logit / penalty : logit * penalty;
        return Float.isFinite(logit) ? Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, penalized)) : penalized;
    }

    @Override
    public String toString() {
        return "RepetitionPenalty[" + penalty + "]";
    }
}
