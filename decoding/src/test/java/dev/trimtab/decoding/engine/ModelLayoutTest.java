package dev.trimtab.decoding.engine;

import static dev.trimtab.decoding.engine.DecoderBatchTest.randomTokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.model.DecoderTensorNames;
import dev.trimtab.decoding.model.ModelFiles;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.FloatTensor;
import dev.trimtab.decoding.onnx.WeightPrecision;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLayoutTest {
    private static final long SEED = 23;

    @TempDir
    Path root;

    @Test
    @DisplayName("the legacy merged layout decodes like the single-file one")
    void mergedLayoutDecodesLikeSingleFile() throws Exception {
        DecoderSpec spec = TinyModels.llama();
        TinyModels.write(root.resolve("single"), spec, SEED);
        TinyModels.write(
                root.resolve("merged"), spec, SEED, ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.MERGED));
        assertThat(ModelFiles.locate(root.resolve("merged")).graph().getFileName())
                .hasToString(ModelFiles.MERGED_FILE);
        assertDecodeAlike(spec, root.resolve("single"), root.resolve("merged"));
    }

    @Test
    @DisplayName("a graph that derives positions from the mask decodes like one that takes position_ids")
    void derivedPositionsDecodeLikeGivenOnes() throws Exception {
        DecoderSpec spec = TinyModels.gpt2();
        TinyModels.write(root.resolve("given"), spec, SEED);
        TinyModels.write(root.resolve("derived"), spec, SEED, ExportOptions.DEFAULT.withPositionIdsInput(false));
        assertDecodeAlike(spec, root.resolve("given"), root.resolve("derived"));
    }

    @Test
    @DisplayName("tensor names from genai_config.json are honoured")
    void genAiNamesAreHonoured() throws Exception {
        DecoderSpec spec = TinyModels.llama();
        DecoderTensorNames renamed = renamed();
        TinyModels.write(root.resolve("optimum"), spec, SEED);
        TinyModels.write(root.resolve("genai"), spec, SEED, ExportOptions.DEFAULT.withNames(renamed));
        assertThat(ModelFiles.locate(root.resolve("genai")).names()).isEqualTo(renamed);
        assertDecodeAlike(spec, root.resolve("optimum"), root.resolve("genai"));
    }

    @Test
    @DisplayName(
            "an int4 MatMulNBits graph whose tensor names come from genai_config.json decodes like the Optimum-named one")
    void quantizedGenAiGraph() throws Exception {
        DecoderSpec spec = TinyModels.llama();
        ExportOptions int4 = ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(WeightPrecision.Format.INT4));
        TinyModels.write(root.resolve("optimum-int4"), spec, SEED, int4);
        TinyModels.write(root.resolve("genai-int4"), spec, SEED, int4.withNames(renamed()));
        assertThat(ModelFiles.locate(root.resolve("genai-int4")).names()).isEqualTo(renamed());
        assertDecodeAlike(spec, root.resolve("optimum-int4"), root.resolve("genai-int4"));
    }

    /** Tensor names as a GenAI export might spell them. */
    private static DecoderTensorNames renamed() {
        return new DecoderTensorNames(
                "ids",
                "mask",
                "positions",
                "past.%d.k",
                "past.%d.v",
                "scores",
                "present_k_%d",
                "present_v_%d",
                "use_cache_branch");
    }

    @Test
    @DisplayName("a zero-layer GPT-2 model's logits are LayerNorm(token + position embedding) times the embedding")
    void zeroLayerGpt2IsEmbeddingTimesHead() throws Exception {
        DecoderSpec spec = DecoderSpec.gpt2(0, 16, 2, 40, 32);
        DecoderWeights weights = TinyModels.write(root, spec, SEED);
        long[] prompt = {5, 17, 39, 0};
        try (DecoderModel model = DecoderModel.load(root, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, List.of(prompt))) {
            float[] hidden = add(row(weights.get("embed.weight"), 0), row(weights.get("pos_embed.weight"), 3));
            hidden = layerNorm(
                    hidden,
                    weights.get("final_norm.weight").data(),
                    weights.get("final_norm.bias").data(),
                    spec.normEpsilon());
            assertThat(batch.logits().copyRow(0, new float[spec.vocab()]))
                    .containsExactly(times(hidden, weights.get("embed.weight"), true), within(1e-4f));
        }
    }

    @Test
    @DisplayName("a zero-layer Llama model's logits are RMSNorm(token embedding) times the head")
    void zeroLayerLlamaIsEmbeddingTimesHead() throws Exception {
        DecoderSpec spec = DecoderSpec.llama(0, 16, 2, 1, 24, 40, 32);
        DecoderWeights weights = TinyModels.write(root, spec, SEED);
        try (DecoderModel model = DecoderModel.load(root, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, List.of(new long[] {9, 31}))) {
            float[] hidden = rmsNorm(
                    row(weights.get("embed.weight"), 31),
                    weights.get("final_norm.weight").data(),
                    spec.normEpsilon());
            assertThat(batch.logits().copyRow(0, new float[spec.vocab()]))
                    .containsExactly(times(hidden, weights.get("lm_head.weight"), false), within(1e-4f));
        }
    }

    @Test
    @DisplayName("a score-head model gives one value per position: the final hidden state times the score weights")
    void scoreHeadGivesOneValuePerPosition() throws Exception {
        DecoderSpec spec = DecoderSpec.gpt2(0, 16, 2, 40, 32).withScoreHead();
        DecoderWeights weights = TinyModels.write(root, spec, SEED);
        try (DecoderModel model = DecoderModel.load(root, SessionSettings.DEFAULT);
                DecoderBatch batch = DecoderBatch.prefill(model, List.of(new long[] {3, 8}))) {
            float[] hidden = add(row(weights.get("embed.weight"), 8), row(weights.get("pos_embed.weight"), 1));
            hidden = layerNorm(
                    hidden,
                    weights.get("final_norm.weight").data(),
                    weights.get("final_norm.bias").data(),
                    spec.normEpsilon());
            float expected = times(hidden, weights.get("score.weight"), false)[0]
                    + weights.get("score.bias").data()[0];
            assertThat(model.vocabSize()).isEqualTo(1);
            assertThat(batch.logits().get(0, 0)).isCloseTo(expected, within(1e-4f));
        }
    }

    private static void assertDecodeAlike(DecoderSpec spec, Path expected, Path actual) throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        List<long[]> prompts = List.of(randomTokens(random, 5, spec.vocab()), randomTokens(random, 2, spec.vocab()));
        try (DecoderModel first = DecoderModel.load(expected, SessionSettings.DEFAULT);
                DecoderModel second = DecoderModel.load(actual, SessionSettings.DEFAULT);
                DecoderBatch a = DecoderBatch.prefill(first, prompts);
                DecoderBatch b = DecoderBatch.prefill(second, prompts)) {
            for (int step = 0; step < 4; step++) {
                for (int r = 0; r < prompts.size(); r++) {
                    assertThat(b.logits().copyRow(r, new float[spec.vocab()]))
                            .containsExactly(a.logits().copyRow(r, new float[spec.vocab()]), within(1e-5f));
                }
                long[] next = {step + 2, step + 7};
                a.step(next);
                b.step(next);
            }
        }
    }

    private static float[] row(FloatTensor matrix, int row) {
        int width = matrix.shape()[1];
        float[] values = new float[width];
        System.arraycopy(matrix.data(), row * width, values, 0, width);
        return values;
    }

    private static float[] add(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int i = 0; i < a.length; i++) sum[i] = a[i] + b[i];
        return sum;
    }

    private static float[] layerNorm(float[] x, float[] gain, float[] bias, float epsilon) {
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double variance = 0;
        for (float v : x) variance += (v - mean) * (v - mean);
        variance /= x.length;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++)
            out[i] = (float) ((x[i] - mean) / Math.sqrt(variance + epsilon) * gain[i] + bias[i]);
        return out;
    }

    private static float[] rmsNorm(float[] x, float[] gain, float epsilon) {
        double meanSquare = 0;
        for (float v : x) meanSquare += v * v;
        meanSquare /= x.length;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (x[i] / Math.sqrt(meanSquare + epsilon) * gain[i]);
        return out;
    }

    /** {@code hidden} times the head: the embedding [vocab, hidden] transposed, or a head [hidden, vocab]. */
    private static float[] times(float[] hidden, FloatTensor head, boolean transposed) {
        int vocab = transposed ? head.shape()[0] : head.shape()[1];
        float[] logits = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            double sum = 0;
            for (int h = 0; h < hidden.length; h++) {
                sum += hidden[h] * head.data()[transposed ? v * hidden.length + h : h * vocab + v];
            }
            logits[v] = (float) sum;
        }
        return logits;
    }
}
