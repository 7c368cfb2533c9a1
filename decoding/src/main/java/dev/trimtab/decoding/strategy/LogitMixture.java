package dev.trimtab.decoding.strategy;

import java.util.Arrays;

/**
 * A weighted sum of logit vectors, {@code z_i = Σ_k c_k·(x_k[i] − o_k)}, that cannot overflow
 * whatever the finite weights: DeRa's {@code λ·h_aligned + (1 − λ)·h_ref} and GenARM's {@code
 * log π_base + Σ α·log π_ARM} with the λ or α a client chose.
 *
 * <p>Only the softmax of a mixture matters, so it is computed as {@code softmax(s·ẑ)} with {@code
 * s = max(1, max_k |c_k|)} and {@code ẑ = z / s}: every {@code c_k / s} lies in [-1, 1], so {@code
 * ẑ} stays finite, and the result is written shifted by its maximum, {@code s·(ẑ_i − max ẑ)} — at
 * most 0, -Infinity at worst. As the weights grow, the distribution tends to the argmax of the
 * dominant term, which is what the scaled values give (not NaN from ∞ − ∞). A term whose input is
 * -Infinity at an id masks that id.
 */
public final class LogitMixture {
    /**
     * Largest weight computed directly (as the strategies always did, exactly); beyond it the
     * scaled form. Logits of magnitude 1e4 times 1e6 stay far below the float range.
     */
    public static final double MAX_DIRECT_WEIGHT = 1e6;

    private LogitMixture() {}

    /** Whether weights this large need {@link #scaled}. */
    public static boolean needsScaling(double... weights) {
        for (double weight : weights) {
            if (!(Math.abs(weight) <= MAX_DIRECT_WEIGHT)) return true;
        }
        return false;
    }

    /**
     * Writes the mixture of {@code inputs} (each shifted by its {@code offsets} entry) for ids
     * below {@code shared} into {@code out} in the scaled form, -Infinity above; {@code out} may
     * be one of the inputs.
     */
    public static void scaled(double[] weights, float[][] inputs, double[] offsets, int shared, float[] out) {
        double scale = 1;
        for (double weight : weights) scale = Math.max(scale, Math.abs(weight));
        double[] mixed = new double[shared];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < shared; i++) {
            double sum = 0;
            for (int k = 0; k < weights.length; k++) {
                if (weights[k] != 0) sum += weights[k] / scale * (inputs[k][i] - offsets[k]);
            }
            mixed[i] = Double.isNaN(sum) || sum == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : sum;
            max = Math.max(max, mixed[i]);
        }
        for (int i = 0; i < shared; i++) {
            out[i] = max == Double.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : (float) ((mixed[i] - max) * scale);
        }
        Arrays.fill(out, shared, out.length, Float.NEGATIVE_INFINITY);
    }
}
