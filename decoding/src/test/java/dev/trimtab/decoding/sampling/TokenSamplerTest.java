package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    private static final float MASKED = Float.NEGATIVE_INFINITY;
    private static final int DRAWS = 20_000;

    private static SamplingParams seeded(long seed) {
        return SamplingParams.defaults().withSeed(seed);
    }

    private static int[] draw(TokenSampler sampler, float[] logits, int times) {
        int[] tokens = new int[times];
        for (int i = 0; i < times; i++) {
            tokens[i] = sampler.sample(logits.clone(), new TokenHistory());
        }
        return tokens;
    }

    private static double[] frequencies(int[] tokens, int vocabulary) {
        double[] frequencies = new double[vocabulary];
        for (int token : tokens) {
            frequencies[token] += 1.0 / tokens.length;
        }
        return frequencies;
    }

    @Test
    @DisplayName("greedy decoding picks the argmax, the lowest id on ties")
    void greedyPicksArgmax() {
        TokenSampler greedy = new TokenSampler(seeded(1).withTemperature(0));

        assertThat(greedy.sample(new float[] {0.1f, 2.5f, -1f, 2.4f}, new TokenHistory()))
                .isEqualTo(1);
        assertThat(greedy.sample(new float[] {MASKED, 3f, 1f, 3f}, new TokenHistory()))
                .isEqualTo(1);
        float[] logits = Fixtures.gaussianLogits(5, 150_000, 3.0);
        assertThat(greedy.sample(logits.clone(), new TokenHistory())).isEqualTo(Fixtures.ranking(logits)[0]);
    }

    @Test
    @DisplayName("greedy decoding still applies the repetition penalty")
    void greedyWithPenalty() {
        TokenSampler greedy = new TokenSampler(seeded(1).withTemperature(0).withRepetitionPenalty(2));

        assertThat(greedy.sample(new float[] {3f, 2f}, TokenHistory.of(0))).isEqualTo(1);
    }

    @Test
    @DisplayName("over 20k seeded draws each token's frequency matches its softmax probability")
    void frequenciesMatchSoftmax() {
        float[] logits = {1.0f, 0.2f, -0.5f, 2.0f, MASKED, 0f, -2f, 1.5f};
        double[] expected = Fixtures.softmax(logits);

        double[] observed = frequencies(draw(new TokenSampler(seeded(2024)), logits, DRAWS), logits.length);

        for (int i = 0; i < logits.length; i++) {
            assertThat(observed[i]).as("token %d", i).isCloseTo(expected[i], within(0.012));
        }
        assertThat(observed[4]).isZero();
    }

    @Test
    @DisplayName("with temperature 0.5 and top-3 frequencies match the softmax of the top 3 logits doubled")
    void frequenciesWithWarpers() {
        float[] logits = {1.0f, 0.2f, -0.5f, 1.4f, 0.9f};
        double[] expected = Fixtures.softmax(new float[] {2.0f, MASKED, MASKED, 2.8f, 1.8f});
        TokenSampler sampler = new TokenSampler(seeded(99).withTemperature(0.5).withTopK(3));

        double[] observed = frequencies(draw(sampler, logits, DRAWS), logits.length);

        for (int i = 0; i < logits.length; i++) {
            assertThat(observed[i]).as("token %d", i).isCloseTo(expected[i], within(0.012));
        }
    }

    @Test
    @DisplayName("over a vocabulary large enough to split the softmax, draws are the inverse-CDF draws of a"
            + " sequential softmax, from several threads at once")
    void largeVocabulary() throws Exception {
        float[] logits = largeLogits();
        int draws = LARGE_DRAWS;
        int[] expected = largeExpected(logits);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> draw(new TokenSampler(seeded(5)), logits, draws)));
            }
            for (Future<int[]> result : results) {
                assertThat(result.get()).containsExactly(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("in a JVM without the Vector API module the sampler computes the weights one by one and draws"
            + " the same tokens")
    void withoutVectorModule() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(java.toString(), "-cp", classpath, ScalarSamplingProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> lines;
        try (var reader = process.inputReader()) {
            lines = reader.lines().toList();
        }
        assertThat(process.waitFor()).as("probe output %s", lines).isZero();
        assertThat(lines.get(0)).as("the Vector API module is loaded").isEqualTo("false");
        int[] drawn = lines.subList(1, lines.size()).stream()
                .mapToInt(Integer::parseInt)
                .toArray();
        assertThat(drawn).containsExactly(largeExpected(largeLogits()));
    }

    static final int LARGE_DRAWS = 40;

    /** Gaussian logits over 50,257 ids, one masked. */
    static float[] largeLogits() {
        float[] logits = Fixtures.gaussianLogits(3, 50_257, 2.0);
        logits[7] = MASKED;
        return logits;
    }

    /** The inverse-CDF draws of a generator seeded 5 over {@code logits}. */
    private static int[] largeExpected(float[] logits) {
        int[] expected = new int[LARGE_DRAWS];
        SplittableRandom random = new SplittableRandom(5);
        for (int d = 0; d < LARGE_DRAWS; d++) {
            expected[d] = inverseCdf(logits, random.nextDouble());
        }
        return expected;
    }

    /** The first token whose cumulative exp(l - max) exceeds u times their sum, summed in order. */
    private static int inverseCdf(float[] logits, double u) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double total = 0;
        for (float logit : logits) {
            total += (float) Math.exp(logit - max);
        }
        double cumulative = 0;
        for (int i = 0; i < logits.length; i++) {
            cumulative += (float) Math.exp(logits[i] - max);
            if (cumulative > u * total) {
                return i;
            }
        }
        return logits.length - 1;
    }

    @Test
    @DisplayName("the same seed replays the same tokens, a different seed draws different ones")
    void seedsReplay() {
        float[] logits = Fixtures.gaussianLogits(8, 1000, 1.0);

        int[] first = draw(new TokenSampler(seeded(17)), logits, 200);
        int[] again = draw(new TokenSampler(seeded(17)), logits, 200);
        int[] other = draw(new TokenSampler(seeded(18)), logits, 200);

        assertThat(again).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    @DisplayName("an unseeded sampler draws its own seed and reports it for replay")
    void unseededReportsSeed() {
        TokenSampler unseeded = new TokenSampler(SamplingParams.defaults());
        float[] logits = Fixtures.gaussianLogits(9, 1000, 1.0);

        int[] drawn = draw(unseeded, logits, 100);
        int[] replayed = draw(new TokenSampler(seeded(unseeded.seed())), logits, 100);

        assertThat(replayed).containsExactly(drawn);
        assertThat(new TokenSampler(SamplingParams.defaults()).seed()).isNotEqualTo(unseeded.seed());
    }

    @Test
    @DisplayName("top-k 1 decodes exactly like greedy, whatever the temperature")
    void topOneIsGreedy() {
        TokenSampler topOne = new TokenSampler(seeded(3).withTemperature(1.7).withTopK(1));
        TokenSampler greedy = new TokenSampler(seeded(4).withTemperature(0));

        for (long step = 0; step < 50; step++) {
            float[] logits = Fixtures.gaussianLogits(step, 5000, 2.0);
            assertThat(topOne.sample(logits.clone(), new TokenHistory()))
                    .isEqualTo(greedy.sample(logits.clone(), new TokenHistory()));
        }
    }

    @Test
    @DisplayName("processes the logits in place, and runs a strategy's extra processors")
    void processesInPlace() {
        LogitsProcessor banFirst = (l, h) -> l[0] = MASKED;
        SamplingParams params = seeded(5).withTopK(2);
        TokenSampler sampler =
                new TokenSampler(params, LogitsProcessorChain.forParams(params).prepend(banFirst));
        float[] logits = {9f, 1f, 3f, 2f};

        int token = sampler.sample(logits, new TokenHistory());

        assertThat(logits).containsExactly(MASKED, MASKED, 3f, 2f);
        assertThat(token).isIn(2, 3);
    }

    @Test
    @DisplayName("rejects NaN logits by index and a row with every token masked")
    void rejectsCorruptLogits() {
        TokenSampler sampler = new TokenSampler(seeded(6));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> sampler.sample(new float[] {0f, 1f, Float.NaN}, new TokenHistory()))
                .withMessageStartingWith("logits[2] must be finite or -Infinity, got NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> sampler.sample(new float[] {MASKED}, new TokenHistory()))
                .withMessage("logits must hold at least one entry above -Infinity, got all 1 masked");
    }
}
