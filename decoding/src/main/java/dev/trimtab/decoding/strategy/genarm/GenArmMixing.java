package dev.trimtab.decoding.strategy.genarm;

import dev.trimtab.decoding.sampling.LogSoftmax;
import java.util.Arrays;

/** GenARM's combination, a pure function so that tests can check it against each model's output. */
public final class GenArmMixing {
    private GenArmMixing() {}

    /**
     * Adds {@code Σ_i α_i·log π_ARM_i} to {@code base} (the base's logits, in place) for ids below
     * {@code shared} and masks the rest. The base enters as logits rather than log-probabilities: they
     * differ by a constant that the renormalization removes, and with every α = 0 the result is then
     * exactly the base's logits. An ARM with α = 0 is skipped (its -Infinity entries would give NaN).
     *
     * @param arms each ARM's logits over its own vocabulary (at least {@code shared} wide)
     */
    public static void mix(float[] base, float[][] arms, double[] alphas, int shared) {
        for (int i = 0; i < arms.length; i++) {
            if (alphas[i] != 0) {
                addLogProbabilities(base, arms[i], alphas[i], shared);
            }
        }
        Arrays.fill(base, shared, base.length, Float.NEGATIVE_INFINITY);
    }

    private static void addLogProbabilities(float[] base, float[] arm, double alpha, int shared) {
        double normalizer = LogSoftmax.logSumExp(arm);
        for (int v = 0; v < shared; v++) {
            base[v] = (float) (base[v] + alpha * (arm[v] - normalizer));
        }
    }
}
