package dev.trimtab.decoding.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.WeightPrecision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrecisionTest {
    private static final long SEED = 17;
    private static final long[] PROMPT = {5, 17, 42, 8, 61};
    private static final int STEPS = 12;

    @TempDir
    Path directory;

    /** Family, precision, bound on |logit - fp32 logit|, least share of greedy tokens agreeing with fp32. */
    static Stream<Arguments> precisions() {
        List<Arguments> cases = new ArrayList<>();
        for (DecoderSpec spec : List.of(TinyModels.gpt2(), TinyModels.llama())) {
            String family = spec.family().name();
            cases.add(Arguments.of(family, spec, WeightPrecision.of(WeightPrecision.Format.FP16), 0.002, 1.0));
            cases.add(Arguments.of(family, spec, WeightPrecision.of(WeightPrecision.Format.INT8), 0.02, 1.0));
            cases.add(Arguments.of(family, spec, WeightPrecision.of(WeightPrecision.Format.INT4), 0.15, 0.6));
            cases.add(Arguments.of(
                    family,
                    spec,
                    WeightPrecision.of(WeightPrecision.Format.INT4).withSymmetric(false),
                    0.15,
                    0.6));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("precisions")
    @DisplayName("a reduced-precision export of the same weights decodes close to the fp32 model")
    void closeToFp32(String family, DecoderSpec spec, WeightPrecision precision, double bound, double agreement)
            throws Exception {
        TinyModels.write(directory.resolve("fp32"), spec, SEED);
        TinyModels.write(directory.resolve("reduced"), spec, SEED, ExportOptions.DEFAULT.withPrecision(precision));
        try (DecoderModel full = DecoderModel.load(directory.resolve("fp32"), SessionSettings.DEFAULT);
                DecoderModel reduced = DecoderModel.load(directory.resolve("reduced"), SessionSettings.DEFAULT)) {
            List<float[]> expected = greedyLogits(full, PROMPT, null);
            long[] forced = greedyTokens(expected);
            List<float[]> actual = greedyLogits(reduced, PROMPT, forced);
            double maxDelta = 0;
            int agreeing = 0;
            for (int step = 0; step <= STEPS; step++) {
                for (int v = 0; v < spec.vocab(); v++) {
                    maxDelta = Math.max(maxDelta, Math.abs(actual.get(step)[v] - expected.get(step)[v]));
                }
                agreeing += argmax(actual.get(step)) == forced[step] ? 1 : 0;
            }
            assertThat(maxDelta).as("max |delta logit|").isLessThanOrEqualTo(bound);
            assertThat((double) agreeing / (STEPS + 1)).as("greedy agreement").isGreaterThanOrEqualTo(agreement);
        }
    }

    @Test
    @DisplayName("the loaded model reports the precision it found: declared weights, cache and logits types")
    void reportsPrecision() throws Exception {
        TinyModels.write(directory.resolve("fp16"), TinyModels.gpt2(), SEED, fp16());
        TinyModels.write(
                directory.resolve("int4"),
                TinyModels.gpt2(),
                SEED,
                ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(WeightPrecision.Format.INT4)));
        try (DecoderModel half = DecoderModel.load(directory.resolve("fp16"), SessionSettings.DEFAULT);
                DecoderModel quantized = DecoderModel.load(directory.resolve("int4"), SessionSettings.DEFAULT)) {
            assertThat(half.precision()).isEqualTo("fp16 weights, float16 caches and logits");
            assertThat(half.cacheType()).isEqualTo(CacheType.FLOAT16);
            assertThat(quantized.precision())
                    .isEqualTo("int4 (block 32, symmetric) weights, float32 caches and logits");
            assertThat(quantized.cacheType()).isEqualTo(CacheType.FLOAT);
        }
    }

    @Test
    @DisplayName("float16 caches joined, forked, reordered and compacted give each row the logits of that row alone")
    void halfCachesMoveLikeFloatOnes() throws Exception {
        DecoderSpec spec = TinyModels.llama();
        TinyModels.write(directory, spec, SEED, fp16());
        long[][] prompts = {{3, 9, 27}, {4, 8, 15, 16, 23, 42, 7}, {11, 12}};
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, List.of(prompts[0], prompts[1]))) {
            batch.join(DecoderBatch.prefill(model, List.of(prompts[2])));
            batch.step(new long[] {50, 51, 52});
            // Fork row 2, drop row 1, reorder: a copy of the cache; then drop the first row in place.
            batch.retain(new int[] {2, 0, 2});
            batch.step(new long[] {60, 61, 62});
            batch.retain(new int[] {1, 2});
            Logits logits = batch.step(new long[] {70, 71});
            long[][] alone = {{3, 9, 27, 50, 61, 70}, {11, 12, 52, 62, 71}};
            for (int row = 0; row < alone.length; row++) {
                try (DecoderBatch single = DecoderBatch.prefill(model, List.of(alone[row]))) {
                    assertThat(logits.copyRow(row, new float[spec.vocab()]))
                            .as("row %d", row)
                            .containsExactly(single.logits().copyRow(0, new float[spec.vocab()]), within(2e-3f));
                }
            }
            assertThat(model.liveCacheTensors()).isEqualTo(2 * spec.layers());
        }
    }

    private static ExportOptions fp16() {
        return ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(WeightPrecision.Format.FP16));
    }

    /**
     * Logits after the prompt and after each of {@code STEPS} further tokens: the model's own greedy
     * choice, or {@code forced} (teacher forcing, so that both models see the same prefixes).
     */
    private static List<float[]> greedyLogits(DecoderModel model, long[] prompt, long[] forced) throws Exception {
        List<float[]> logits = new ArrayList<>();
        try (DecoderBatch batch = DecoderBatch.prefill(model, List.of(prompt))) {
            logits.add(batch.logits().copyRow(0, new float[model.vocabSize()]));
            for (int step = 0; step < STEPS; step++) {
                long next = forced != null ? forced[step] : argmax(logits.get(step));
                logits.add(batch.step(new long[] {next}).copyRow(0, new float[model.vocabSize()]));
            }
        }
        return logits;
    }

    private static long[] greedyTokens(List<float[]> logits) {
        return logits.stream().mapToLong(PrecisionTest::argmax).toArray();
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
