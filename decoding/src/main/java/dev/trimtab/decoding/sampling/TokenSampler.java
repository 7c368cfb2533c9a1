package dev.trimtab.decoding.sampling;

import java.util.SplittableRandom;

/**
 * Picks one row's next token: runs the row's {@link LogitsProcessorChain}, then takes the argmax
 * (greedy, temperature 0; ties go to the lowest id) or draws token i with probability {@code
 * softmax(l)_i = exp(l_i − m) / Σ_j exp(l_j − m)}, m the largest logit.
 *
 * <p>Draws come from a {@link SplittableRandom} seeded from {@link SamplingParams#seed()}, or from
 * the system when none is given; {@link #seed()} reports the seed either way, so the same seed and
 * the same logits give the same tokens on the same machine and JVM options: the weights' SIMD sums
 * (their lane count is the CPU's) and the scalar fallback may differ in the last bits, which can
 * move a draw that lands within about 1e-7 of a boundary. One sampler per row: it reuses a weight buffer across steps
 * and is not thread-safe.
 */
public final class TokenSampler {
    /**
     * Whether the JVM runs with {@code jdk.incubator.vector}: only then is {@link VectorExp} loaded
     * (its class refers to the module's types).
     */
    private static final boolean VECTOR_API =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final LogitsProcessorChain chain;
    private final boolean greedy;
    private final long seed;
    private final SplittableRandom random;
    private float[] weights = new float[0];

    /** A sampler with the chain {@link LogitsProcessorChain#forParams} builds for {@code params}. */
    public TokenSampler(SamplingParams params) {
        this(params, LogitsProcessorChain.forParams(params));
    }

    /** A sampler for {@code params} that runs {@code chain}, e.g. the default one plus a strategy's. */
    public TokenSampler(SamplingParams params, LogitsProcessorChain chain) {
        if (params == null || chain == null) {
            throw new IllegalArgumentException("params and chain must not be null, got " + params + ", " + chain);
        }
        this.chain = chain;
        this.greedy = params.greedy();
        this.seed = params.seed().orElseGet(() -> new SplittableRandom().nextLong());
        this.random = new SplittableRandom(seed);
    }

    /**
     * Processes {@code logits} in place, so that afterwards they hold what the choice was made
     * from, and returns the chosen token id. The caller records the token in {@code history}.
     */
    public int sample(float[] logits, TokenHistory history) {
        chain.process(logits, history);
        return greedy ? argmax(logits) : draw(logits);
    }

    /**
     * The index of the largest logit, the lowest one on ties.
     *
     * @throws IllegalArgumentException if an entry is NaN or +Infinity, or every entry is -Infinity
     */
    public static int argmax(float[] logits) {
        return Logits.argmax(logits);
    }

    /** The seed of this sampler's generator, given or drawn, to replay the row. */
    public long seed() {
        return seed;
    }

    /** The processors this sampler runs before choosing. */
    public LogitsProcessorChain chain() {
        return chain;
    }

    /** Inverse-CDF draw: the first token whose cumulative weight exceeds {@code u · Σ w}. */
    private int draw(float[] logits) {
        double total = fillWeights(logits, logits[Logits.argmax(logits)]);
        double target = random.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < logits.length; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                last = i;
                if (cumulative > target) {
                    return i;
                }
            }
        }
        return last; // only when rounding made target equal the total
    }

    /**
     * Writes {@code exp(l_i − max)} per token, 0 for masked ones, and returns their sum: in SIMD
     * lanes where the JVM has the Vector API ({@link VectorExp}); else one by one, over a large
     * vocabulary the second half on {@link SamplingThreads} while this thread does the first (the
     * sampling of a round otherwise leaves the other core idle between passes), the sum always
     * taken as first half plus second half, so that the draw does not depend on where the halves
     * ran.
     */
    private double fillWeights(float[] logits, double max) {
        if (weights.length < logits.length) {
            weights = new float[logits.length];
        }
        if (VECTOR_API) {
            return VectorExp.fill(logits, weights, (float) max, 0, logits.length);
        }
        int half = logits.length / 2;
        float[] target = weights;
        if (logits.length < SamplingThreads.PARALLEL_VOCAB) {
            return fill(logits, target, max, 0, half) + fill(logits, target, max, half, logits.length);
        }
        return SamplingThreads.sumHalves(
                () -> fill(logits, target, max, 0, half), () -> fill(logits, target, max, half, logits.length));
    }

    private static double fill(float[] logits, float[] weights, double max, int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) {
            float x = logits[i];
            weights[i] = x > Float.NEGATIVE_INFINITY ? (float) Math.exp(x - max) : 0f;
            total += weights[i];
        }
        return total;
    }
}
