package dev.trimtab.decoding.strategy.dera;

import dev.trimtab.decoding.strategy.LogitMixture;
import java.util.Arrays;

/** DeRa's logit mixture, a pure function so that tests can check it against each model's output. */
public final class DeraMixing {
    private DeraMixing() {}

    /**
     * Writes {@code λ·aligned_i + (1 − λ)·reference_i} for ids below {@code shared}, -Infinity above,
     * into {@code out} (which may be {@code reference}). Computed in double, so that λ = 0 and λ = 1
     * give the reference's and the aligned model's logits exactly. A λ beyond {@link
     * LogitMixture#MAX_DIRECT_WEIGHT} in magnitude is mixed in {@link LogitMixture#scaled scaled}
     * form (the same distribution, shifted so that its largest entry is 0), so that any finite λ
     * decodes.
     */
    public static void mix(double lambda, float[] aligned, float[] reference, int shared, float[] out) {
        if (LogitMixture.needsScaling(lambda, 1 - lambda)) {
            LogitMixture.scaled(
                    new double[] {lambda, 1 - lambda}, new float[][] {aligned, reference}, new double[2], shared, out);
            return;
        }
        for (int i = 0; i < shared; i++) {
            out[i] = (float) (lambda * aligned[i] + (1 - lambda) * reference[i]);
        }
        Arrays.fill(out, shared, out.length, Float.NEGATIVE_INFINITY);
    }
}
