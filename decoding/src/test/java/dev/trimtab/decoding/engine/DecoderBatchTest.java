package dev.trimtab.decoding.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecoderBatchTest {
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path directory;

    /** How the models of these tests are exported: the default, a shared cache; see the subclass. */
    ExportOptions options() {
        return ExportOptions.DEFAULT;
    }

    static Stream<Arguments> families() {
        return Stream.of(Arguments.of("gpt2", TinyModels.gpt2()), Arguments.of("llama", TinyModels.llama()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("cached incremental decoding gives the logits of recomputing the whole sequence")
    void incrementalMatchesRecompute(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 7, options());
        long[] tokens = randomTokens(new SplittableRandom(1), 14, spec.vocab());
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, List.of(Arrays.copyOf(tokens, 5)))) {
            for (int t = 5; t < tokens.length; t++) {
                float[] incremental = batch.step(new long[] {tokens[t]}).copyRow(0, new float[spec.vocab()]);
                assertThat(incremental)
                        .containsExactly(recompute(model, Arrays.copyOf(tokens, t + 1)), within(TOLERANCE));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("a padded batch gives each row the next-token logits of that row alone")
    void paddedBatchMatchesRowsAlone(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 11, options());
        SplittableRandom random = new SplittableRandom(2);
        List<long[]> prompts = List.of(
                randomTokens(random, 3, spec.vocab()),
                randomTokens(random, 9, spec.vocab()),
                randomTokens(random, 6, spec.vocab()));
        long[][] continuations = {
            randomTokens(random, 4, spec.vocab()),
            randomTokens(random, 4, spec.vocab()),
            randomTokens(random, 4, spec.vocab())
        };
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, prompts)) {
            for (int step = 0; step < 4; step++) {
                long[] tokens = new long[prompts.size()];
                for (int r = 0; r < tokens.length; r++) tokens[r] = continuations[r][step];
                Logits logits = batch.step(tokens);
                for (int r = 0; r < prompts.size(); r++) {
                    long[] alone = concat(prompts.get(r), Arrays.copyOf(continuations[r], step + 1));
                    assertThat(logits.copyRow(r, new float[spec.vocab()]))
                            .as("row %d at step %d", r, step)
                            .containsExactly(recompute(model, alone), within(TOLERANCE));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("rows leave and join between steps and still decode as they would alone")
    void rowsLeaveAndJoin(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 13, options());
        SplittableRandom random = new SplittableRandom(3);
        long[] first = randomTokens(random, 8, spec.vocab());
        long[] second = randomTokens(random, 2, spec.vocab());
        long[] late = randomTokens(random, 5, spec.vocab());
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, List.of(first, second))) {
            batch.step(new long[] {3, 4});
            batch.retain(new int[] {1});
            assertThat(batch.cacheLength())
                    .as("padding no remaining row needs is dropped")
                    .isEqualTo(3);
            batch.join(DecoderBatch.prefill(model, List.of(late)));
            Logits logits = batch.step(new long[] {5, 6});
            assertThat(logits.copyRow(0, new float[spec.vocab()]))
                    .containsExactly(recompute(model, concat(second, new long[] {4, 5})), within(TOLERANCE));
            assertThat(logits.copyRow(1, new float[spec.vocab()]))
                    .containsExactly(recompute(model, concat(late, new long[] {6})), within(TOLERANCE));
            batch.retain(new int[0]);
            assertThat(batch.size()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("concatenating cache: rows leaving from the middle and shorter rows joining move in place, copying"
            + " only the moved rows, and every row decodes as it would alone")
    void inPlaceLeaveAndJoin(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 19, ExportOptions.DEFAULT.withSharedCache(false));
        SplittableRandom random = new SplittableRandom(6);
        List<long[]> sequences = new ArrayList<>();
        for (int length : new int[] {6, 7, 5, 6}) {
            sequences.add(randomTokens(random, length, spec.vocab()));
        }
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, sequences)) {
            long[] next = randomTokens(random, 4, spec.vocab());
            batch.step(next);
            for (int r = 0; r < 4; r++) sequences.set(r, concat(sequences.get(r), new long[] {next[r]}));
            int length = batch.cacheLength();
            long rowFloats = (long) model.cacheShape().floatsPerPosition()
                    * length
                    * 2
                    * model.cacheShape().layers();

            long before = model.copiedCacheFloats();
            batch.retain(new int[] {0, 2, 3});
            sequences.remove(1);
            assertThat(batch.cacheLength()).as("kept in place, padding and all").isEqualTo(length);
            assertThat(model.copiedCacheFloats() - before)
                    .as("rows 2 and 3 moved down")
                    .isEqualTo(2 * rowFloats);

            long[] shorter = randomTokens(random, 3, spec.vocab());
            before = model.copiedCacheFloats();
            batch.join(DecoderBatch.prefill(model, List.of(shorter)));
            sequences.add(shorter);
            assertThat(model.copiedCacheFloats() - before)
                    .as("only the newcomer written")
                    .isEqualTo(rowFloats);
            assertDecodesAlone(model, batch, sequences, random);

            long[] longer = randomTokens(random, length + 4, spec.vocab());
            batch.join(DecoderBatch.prefill(model, List.of(longer)));
            sequences.add(longer);
            assertDecodesAlone(model, batch, sequences, random);
        }
    }

    /** Steps every row with a random token and checks each row's logits against recomputing it alone. */
    static void assertDecodesAlone(
            DecoderModel model, DecoderBatch batch, List<long[]> sequences, SplittableRandom random) throws Exception {
        long[] next = randomTokens(random, sequences.size(), model.inputVocabSize());
        Logits logits = batch.step(next);
        for (int r = 0; r < sequences.size(); r++) {
            sequences.set(r, concat(sequences.get(r), new long[] {next[r]}));
            assertThat(logits.copyRow(r, new float[model.vocabSize()]))
                    .as("row %d", r)
                    .containsExactly(recompute(model, sequences.get(r)), within(TOLERANCE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("a graph that computes the head at the last position only decodes exactly like one that computes"
            + " every position's logits")
    void lastPositionHeadMatchesFullHead(String name, DecoderSpec spec) throws Exception {
        Path full = directory.resolve("full");
        Path last = directory.resolve("last");
        TinyModels.write(full, spec, 23, ExportOptions.DEFAULT.withLogitsToKeepInput(false));
        TinyModels.write(last, spec, 23, options());
        SplittableRandom random = new SplittableRandom(8);
        List<long[]> prompts = List.of(randomTokens(random, 7, spec.vocab()), randomTokens(random, 3, spec.vocab()));
        try (DecoderModel fullModel = DecoderModel.load(full, SessionSettings.DEFAULT);
                DecoderModel lastModel = DecoderModel.load(last, SessionSettings.DEFAULT);
                DecoderBatch fullBatch = DecoderBatch.prefill(fullModel, prompts);
                DecoderBatch lastBatch = DecoderBatch.prefill(lastModel, prompts)) {
            assertThat(lastModel.logitsPositions(7)).isEqualTo(1);
            assertThat(fullModel.logitsPositions(7)).isEqualTo(7);
            for (int step = 0; step < 3; step++) {
                for (int r = 0; r < prompts.size(); r++) {
                    assertThat(lastBatch.logits().copyRow(r, new float[spec.vocab()]))
                            .as("step %d row %d", step, r)
                            .containsExactly(fullBatch.logits().copyRow(r, new float[spec.vocab()]), within(TOLERANCE));
                }
                long[] next = randomTokens(random, prompts.size(), spec.vocab());
                fullBatch.step(next);
                lastBatch.step(next);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("concatenating cache: prompts prefilled in chunks give the logits of one pass")
    void chunkedPrefillMatchesOnePass(String name, DecoderSpec spec) throws Exception {
        TinyModels.write(directory, spec, 17, ExportOptions.DEFAULT.withSharedCache(false));
        List<long[]> prompts = List.of(
                randomTokens(new SplittableRandom(4), 11, spec.vocab()),
                randomTokens(new SplittableRandom(5), 4, spec.vocab()));
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT);
                DecoderBatch whole = DecoderBatch.prefill(model, prompts);
                DecoderBatch chunked = DecoderBatch.prefill(model, prompts, 3L * 2 * spec.vocab())) {
            for (int r = 0; r < prompts.size(); r++) {
                assertThat(chunked.logits().copyRow(r, new float[spec.vocab()]))
                        .containsExactly(whole.logits().copyRow(r, new float[spec.vocab()]), within(TOLERANCE));
            }
            assertThat(chunked.timer().passes()).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    @DisplayName("every position's logits of a prompt (keep 0) equal the next-token logits of each prefix alone,"
            + " with and without the num_logits_to_keep input")
    void everyPositionMatchesEachPrefix(String name, DecoderSpec spec) throws Exception {
        for (boolean keepInput : new boolean[] {true, false}) {
            Path path = directory.resolve("keep-" + keepInput);
            TinyModels.write(path, spec, 29, options().withLogitsToKeepInput(keepInput));
            long[] prompt = randomTokens(new SplittableRandom(9), 11, spec.vocab());
            List<float[]> seen = new ArrayList<>();
            try (DecoderModel model = DecoderModel.load(path, SessionSettings.DEFAULT)) {
                DecoderBatch.everyPosition(model, prompt, (position, logits) -> {
                    assertThat(position).isEqualTo(seen.size());
                    seen.add(logits.clone());
                });
                assertThat(seen).hasSize(prompt.length);
                for (int p = 0; p < prompt.length; p++) {
                    assertThat(seen.get(p))
                            .as("keep input %s, position %d", keepInput, p)
                            .containsExactly(recompute(model, Arrays.copyOf(prompt, p + 1)), within(TOLERANCE));
                }
            }
        }
    }

    static float[] recompute(DecoderModel model, long[] tokens) throws Exception {
        try (DecoderBatch alone = DecoderBatch.prefill(model, List.of(tokens))) {
            return alone.logits().copyRow(0, new float[model.vocabSize()]);
        }
    }

    static long[] randomTokens(SplittableRandom random, int count, int vocab) {
        return random.longs(count, 0, vocab).toArray();
    }

    static long[] concat(long[] first, long[] second) {
        long[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
