package dev.trimtab.decoding.engine;

import static dev.trimtab.decoding.engine.DecoderBatchTest.concat;
import static dev.trimtab.decoding.engine.DecoderBatchTest.randomTokens;
import static dev.trimtab.decoding.engine.DecoderBatchTest.recompute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared-buffer cache layout (slots written in place by GroupQueryAttention) against the
 * concatenating layout of the same weights, an independent attention, and against recomputing
 * each row alone.
 */
class SharedCacheTest {
    private static final float TOLERANCE = 1e-4f;

    private static final String SHARED = "shared";
    private static final String CONCATENATING = "concatenating";

    @TempDir
    Path directory;

    /** The same weights exported with a shared cache and with a concatenating one. */
    private void writeBothLayouts(DecoderSpec spec, long seed) {
        TinyModels.write(directory.resolve(SHARED), spec, seed, ExportOptions.DEFAULT);
        TinyModels.write(directory.resolve(CONCATENATING), spec, seed, ExportOptions.DEFAULT.withSharedCache(false));
    }

    /** The tiny families with room for the slots to grow past their first capacity. */
    static Stream<Arguments> families() {
        return Stream.of(
                Arguments.of("gpt2", DecoderSpec.gpt2(2, 32, 4, 96, 256)),
                Arguments.of("llama", DecoderSpec.llama(2, 32, 4, 2, 48, 96, 256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("the exporter declares a shared cache by default, and decode steps write into it without a copy")
    void stepsWriteInPlace(String name, DecoderSpec spec) throws Exception {
        writeBothLayouts(spec, 3);
        SplittableRandom random = new SplittableRandom(1);
        try (DecoderModel model = DecoderModel.load(directory.resolve(SHARED), SessionSettings.DEFAULT);
                DecoderModel other = DecoderModel.load(directory.resolve(CONCATENATING), SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(
                        model, List.of(randomTokens(random, 5, spec.vocab()), randomTokens(random, 2, spec.vocab())))) {
            assertThat(model.sharedCache()).isTrue();
            assertThat(other.sharedCache()).isFalse();
            long copied = model.copiedCacheFloats();
            long allocated = model.allocatedCacheFloats();
            for (int step = 0; step < 8; step++) {
                batch.step(randomTokens(random, 2, spec.vocab()));
            }
            assertThat(model.copiedCacheFloats()).as("values copied by steps").isEqualTo(copied);
            assertThat(model.allocatedCacheFloats())
                    .as("buffers allocated by steps")
                    .isEqualTo(allocated);
            assertThat(batch.cacheLength()).isEqualTo(13);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("through prefills of mixed lengths, steps, rows leaving, a fork, joins and growth of the slots,"
            + " every row's logits equal the concatenating layout's and recomputing the row alone")
    void matchesConcatenatingLayoutAndRecompute(String name, DecoderSpec spec) throws Exception {
        writeBothLayouts(spec, 5);
        SplittableRandom random = new SplittableRandom(2);
        List<long[]> rows = new ArrayList<>(List.of(
                randomTokens(random, 3, spec.vocab()),
                randomTokens(random, 9, spec.vocab()),
                randomTokens(random, 1, spec.vocab()),
                randomTokens(random, 6, spec.vocab())));
        try (DecoderModel model = DecoderModel.load(directory.resolve(SHARED), SessionSettings.DEFAULT);
                DecoderModel reference = DecoderModel.load(directory.resolve(CONCATENATING), SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, rows);
                DecoderBatch expected = DecoderBatch.prefill(reference, rows)) {
            assertSame(batch, expected, rows, model);
            step(batch, expected, rows, random, 3);

            batch.retain(new int[] {0, 2, 3});
            expected.retain(new int[] {0, 2, 3});
            rows.remove(1);
            step(batch, expected, rows, random, 2);

            batch.retain(new int[] {2, 0, 0});
            expected.retain(new int[] {2, 0, 0});
            rows = new ArrayList<>(List.of(rows.get(2), rows.get(0), rows.get(0).clone()));
            step(batch, expected, rows, random, 2);

            List<long[]> newcomers =
                    List.of(randomTokens(random, 2, spec.vocab()), randomTokens(random, 30, spec.vocab()));
            batch.join(DecoderBatch.prefill(model, newcomers));
            expected.join(DecoderBatch.prefill(reference, newcomers));
            rows.addAll(newcomers);
            step(batch, expected, rows, random, 40);
            assertThat(batch.cacheLength())
                    .as("the newcomer of 30 tokens, 40 steps on")
                    .isEqualTo(70);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("a row leaving copies only the filled positions of the rows moving down; a joining row only its own")
    void leavingAndJoiningCopyOnlyFilledPositions(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 7, ExportOptions.DEFAULT);
        SplittableRandom random = new SplittableRandom(3);
        List<long[]> rows = new ArrayList<>();
        for (int length : new int[] {6, 7, 5, 6}) {
            rows.add(randomTokens(random, length, spec.vocab()));
        }
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, rows)) {
            long perPosition = (long) model.cacheShape().floatsPerPosition()
                    * 2
                    * model.cacheShape().layers();
            long before = model.copiedCacheFloats();
            batch.retain(new int[] {0, 2, 3});
            rows.remove(1);
            assertThat(model.copiedCacheFloats() - before)
                    .as("rows of 5 and 6 positions moved down")
                    .isEqualTo((5 + 6) * perPosition);

            long[] newcomer = randomTokens(random, 4, spec.vocab());
            DecoderBatch arriving = DecoderBatch.prefill(model, List.of(newcomer));
            before = model.copiedCacheFloats();
            batch.join(arriving);
            rows.add(newcomer);
            assertThat(model.copiedCacheFloats() - before)
                    .as("the newcomer's 4 positions")
                    .isEqualTo(4 * perPosition);

            DecoderBatchTest.assertDecodesAlone(model, batch, rows, random);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("a prompt prefilled in chunks, and prompts prefilled in groups, give the logits of one pass")
    void chunksAndGroupsMatchOnePass(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 9, ExportOptions.DEFAULT);
        SplittableRandom random = new SplittableRandom(4);
        long[] prompt = randomTokens(random, 11, spec.vocab());
        List<long[]> prompts =
                List.of(randomTokens(random, 4, spec.vocab()), prompt, randomTokens(random, 7, spec.vocab()));
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch whole = DecoderBatch.prefill(model, List.of(prompt));
                DecoderBatch chunked = DecoderBatch.prefill(model, List.of(prompt), 3L * spec.vocab());
                DecoderBatch together = DecoderBatch.prefill(model, prompts);
                DecoderBatch grouped = DecoderBatch.prefill(model, prompts, DecoderBatch.PREFILL_LOGITS_BUDGET, 12)) {
            assertThat(chunked.timer().passes()).isEqualTo(4);
            assertThat(chunked.logits().copyRow(0, new float[spec.vocab()]))
                    .containsExactly(whole.logits().copyRow(0, new float[spec.vocab()]), within(TOLERANCE));
            assertThat(together.timer().passes()).isEqualTo(1);
            for (int r = 0; r < prompts.size(); r++) {
                assertThat(grouped.logits().copyRow(r, new float[spec.vocab()]))
                        .as("row %d", r)
                        .containsExactly(together.logits().copyRow(r, new float[spec.vocab()]), within(TOLERANCE));
            }
            long[] next = randomTokens(random, prompts.size(), spec.vocab());
            Logits stepped = grouped.step(next);
            for (int r = 0; r < prompts.size(); r++) {
                assertThat(stepped.copyRow(r, new float[spec.vocab()]))
                        .as("row %d after a step", r)
                        .containsExactly(
                                recompute(model, concat(prompts.get(r), new long[] {next[r]})), within(TOLERANCE));
            }
        }
    }

    /** Steps both batches {@code steps} times with the same random tokens, comparing every row each time. */
    private static void step(
            DecoderBatch batch, DecoderBatch expected, List<long[]> rows, SplittableRandom random, int steps)
            throws Exception {
        for (int s = 0; s < steps; s++) {
            long[] next = randomTokens(random, rows.size(), batch.model().inputVocabSize());
            batch.step(next);
            expected.step(next);
            for (int r = 0; r < rows.size(); r++) {
                rows.set(r, concat(rows.get(r), new long[] {next[r]}));
            }
            assertSame(batch, expected, rows, batch.model());
        }
    }

    private static void assertSame(DecoderBatch batch, DecoderBatch expected, List<long[]> rows, DecoderModel model)
            throws Exception {
        int vocab = model.vocabSize();
        for (int r = 0; r < rows.size(); r++) {
            float[] logits = batch.logits().copyRow(r, new float[vocab]);
            assertThat(logits)
                    .as("row %d vs the concatenating layout", r)
                    .containsExactly(expected.logits().copyRow(r, new float[vocab]), within(TOLERANCE));
            assertThat(logits)
                    .as("row %d vs recomputing it alone", r)
                    .containsExactly(recompute(model, rows.get(r)), within(TOLERANCE));
        }
    }
}
