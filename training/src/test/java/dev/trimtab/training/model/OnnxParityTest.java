package dev.trimtab.training.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.trimtab.decoding.onnx.DecoderExporter;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.RandomDecoderWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxParityTest {
    private static final long[][] IDS = {{5, 17, 3, 88, 41, 9, 60}, {1, 1, 7, 30, 2, 55, 12}, {40, 2, 19, 77, 1, 1, 1}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}};

    @TempDir
    Path root;

    @Test
    @DisplayName("a GPT-2 decoder gives the same logits in DJL and, exported, in ONNX Runtime")
    void gpt2Parity() throws Exception {
        assertParity(DecoderSpec.gpt2(2, 32, 4, 96, 16));
    }

    @Test
    @DisplayName("a Llama decoder with grouped-query attention gives the same logits in DJL and ONNX Runtime")
    void llamaParity() throws Exception {
        assertParity(DecoderSpec.llama(2, 32, 4, 2, 48, 96, 16));
    }

    @Test
    @DisplayName("a score head gives the same per-position scores in DJL and ONNX, and the same pooled score")
    void scoreParity() throws Exception {
        DecoderSpec spec = DecoderSpec.gpt2(2, 32, 4, 96, 16).withScoreHead();
        DecoderWeights weights = RandomDecoderWeights.generate(spec, 3);
        float[] djl = djlOutputs(spec, weights);
        DecoderExporter.export(root.resolve("past"), spec, weights, ExportOptions.DEFAULT, 1);
        DecoderExporter.export(
                root.resolve("cls"),
                spec,
                weights,
                ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION),
                1);
        assertThat(maxDifference(
                        OnnxOutputs.realPositions(djl, MASK, 1),
                        OnnxOutputs.withEmptyPast(root.resolve("past"), spec, IDS, MASK)))
                .isLessThanOrEqualTo(1e-4f);
        float[] pooled = OnnxOutputs.sequenceClassification(root.resolve("cls"), IDS, MASK);
        int seq = IDS[0].length;
        assertThat(pooled[0]).isCloseTo(djl[seq - 1], org.assertj.core.api.Assertions.within(1e-4f));
        assertThat(pooled[2]).isCloseTo(djl[2 * seq + 3], org.assertj.core.api.Assertions.within(1e-4f));
    }

    private void assertParity(DecoderSpec spec) throws Exception {
        DecoderWeights weights = RandomDecoderWeights.generate(spec, 11);
        float[] djl = OnnxOutputs.realPositions(djlOutputs(spec, weights), MASK, spec.vocab());
        for (boolean shared : new boolean[] {true, false}) {
            Path directory = root.resolve(shared ? "shared-cache" : "concatenating-cache");
            DecoderExporter.export(directory, spec, weights, ExportOptions.DEFAULT.withSharedCache(shared), 1);
            float[] onnx = OnnxOutputs.withEmptyPast(directory, spec, IDS, MASK);
            assertThat(maxDifference(djl, onnx)).as("shared cache: %s", shared).isLessThanOrEqualTo(1e-4f);
        }
    }

    private static float[] djlOutputs(DecoderSpec spec, DecoderWeights weights) {
        try (NDManager base = NDManager.newBaseManager();
                DecoderParameters parameters = DecoderParameters.of(base, spec, weights);
                StepScope step = StepScope.open(base)) {
            DjlDecoder decoder = new DjlDecoder(parameters);
            NDArray hidden = decoder.hidden(step.manager(), step.longs(IDS), step.longs(MASK));
            NDArray out = spec.head() == DecoderSpec.Head.SCORE ? decoder.scores(hidden) : decoder.logits(hidden);
            return out.toFloatArray();
        }
    }

    private static float maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
