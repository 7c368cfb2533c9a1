package dev.trimtab.decoding.strategy.genarm;

import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.strategy.LogitMixture;
import java.util.Arrays;

/** GenARM's combination, a pure function so that tests can check it against each model's output. */
public final class GenArmMixing {
    private GenArmMixing() {}

    /**
     * Adds {@code Σ_i α_i·log π_ARM_i} to {@code base} (the base's logits, in place) for ids below
     * {@code shared} and masks the rest. The base and the ARMs enter as logits rather than
     * log-probabilities: they differ by a constant per step that the renormalization removes, so the
     * distribution is the same without a normalizer over each ARM's vocabulary per token, and with
     * every α = 0 the result is exactly the base's logits. An ARM with α = 0 is skipped (its
     * -Infinity entries would give NaN). Weights beyond {@link LogitMixture#MAX_DIRECT_WEIGHT} go
     * through {@link LogitMixture#scaled}, with each ARM's normalizer.
     *
     * @param arms each ARM's logits over its own vocabulary (at least {@code shared} wide)
     */
    public static void mix(float[] base, float[][] arms, double[] alphas, int shared) {
        if (LogitMixture.needsScaling(alphas)) {
            mixScaled(base, arms, alphas, shared);
            return;
        }
        for (int i = 0; i < arms.length; i++) {
            if (alphas[i] != 0) {
                addLogits(base, arms[i], alphas[i], shared);
            }
        }
        Arrays.fill(base, shared, base.length, Float.NEGATIVE_INFINITY);
    }

    /** Weights beyond {@link LogitMixture#MAX_DIRECT_WEIGHT}: the same distribution without overflow. */
    private static void mixScaled(float[] base, float[][] arms, double[] alphas, int shared) {
        double[] weights = new double[arms.length + 1];
        float[][] inputs = new float[arms.length + 1][];
        double[] offsets = new double[arms.length + 1];
        weights[0] = 1;
        inputs[0] = base;
        for (int i = 0; i < arms.length; i++) {
            weights[i + 1] = alphas[i];
            inputs[i + 1] = arms[i];
            offsets[i + 1] = alphas[i] == 0 ? 0 : LogSoftmax.logSumExp(arms[i]);
        }
        LogitMixture.scaled(weights, inputs, offsets, shared, base);
    }

    private static void addLogits(float[] base, float[] arm, double alpha, int shared) {
        for (int v = 0; v < shared; v++) {
            base[v] = (float) (base[v] + alpha * arm[v]);
        }
    }
}
