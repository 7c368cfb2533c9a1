package dev.trimtab.decoding.strategy.dera;

import java.util.Arrays;

/** DeRa's logit mixture, a pure function so that tests can check it against each model's output. */
public final class DeraMixing {
    private DeraMixing() {}

    /**
     * Writes {@code λ·aligned_i + (1 − λ)·reference_i} for ids below {@code shared}, -Infinity above,
     * into {@code out} (which may be {@code reference}). Computed in double, so that λ = 0 and λ = 1
     * give the reference's and the aligned model's logits exactly.
     */
    public static void mix(double lambda, float[] aligned, float[] reference, int shared, float[] out) {
        for (int i = 0; i < shared; i++) {
            out[i] = (float) (lambda * aligned[i] + (1 - lambda) * reference[i]);
        }
        Arrays.fill(out, shared, out.length, Float.NEGATIVE_INFINITY);
    }
}
