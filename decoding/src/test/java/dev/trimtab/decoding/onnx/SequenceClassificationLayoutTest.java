package dev.trimtab.decoding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SequenceClassificationLayoutTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = WeightPrecision.Format.class,
            names = {"FP32", "INT8"})
    @DisplayName("the sequence-classification layout scores each row at its last real token, left or right padded")
    void poolsAtLastRealToken(WeightPrecision.Format format) throws Exception {
        DecoderSpec spec = TinyModels.llama().withScoreHead();
        ExportOptions options = ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(format));
        TinyModels.write(root.resolve("with-past"), spec, 5, options);
        TinyModels.write(
                root.resolve("classifier"), spec, 5, options.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION));
        long[][] ids = {{0, 0, 7, 8, 9}, {4, 5, 6, 0, 0}};
        long[][] mask = {{0, 0, 1, 1, 1}, {1, 1, 1, 0, 0}};
        float[][] scores;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session =
                        env.createSession(root.resolve("classifier/model.onnx").toString());
                OnnxTensor idTensor = OnnxTensor.createTensor(env, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor))) {
            scores = (float[][]) result.get(0).getValue();
        }
        try (DecoderModel scorer = DecoderModel.load(root.resolve("with-past"), SessionSettings.DEFAULT);
                DecoderBatch batch =
                        DecoderBatch.prefill(scorer, List.of(new long[] {7, 8, 9}, new long[] {4, 5, 6}))) {
            assertThat(scores[0][0]).isCloseTo(batch.logits().get(0, 0), within(1e-4f));
            assertThat(scores[1][0]).isCloseTo(batch.logits().get(1, 0), within(1e-4f));
        }
    }

    @Test
    @DisplayName("the sequence-classification layout refuses a language-model head")
    void needsScoreHead() {
        assertThatThrownBy(() -> TinyModels.write(
                        root,
                        TinyModels.gpt2(),
                        5,
                        ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION)))
                .hasMessageContaining("needs a SCORE head");
    }
}
