package dev.trimtab.decoding.sampling;

/** Checks and scans shared by the processors and the sampler. */
final class Logits {

    private Logits() {}

    /**
     * The index of the largest logit, the lowest index on ties.
     *
     * @throws IllegalArgumentException if {@code logits} holds NaN or +Infinity, or nothing above
     *     -Infinity
     */
    static int argmax(float[] logits) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float x = logits[i];
            if (!(x < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(
                        "logits[" + i + "] must be finite or -Infinity, got " + x + "; the model output is corrupt");
            }
            if (x > max) {
                max = x;
                best = i;
            }
        }
        return requireUnmasked(best, logits.length);
    }

    private static int requireUnmasked(int best, int length) {
        if (best < 0) {
            throw new IllegalArgumentException(
                    "logits must hold at least one entry above -Infinity, got all " + length + " masked");
        }
        return best;
    }
}
