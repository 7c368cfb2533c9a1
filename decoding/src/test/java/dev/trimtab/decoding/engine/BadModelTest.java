package dev.trimtab.decoding.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.model.ModelFiles;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.OnnxGraphBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadModelTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName("a missing model directory is named in the error")
    void missingDirectory() {
        Path missing = directory.resolve("nowhere");
        assertThatThrownBy(() -> DecoderModel.load(missing, SessionSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    @DisplayName("a directory without a graph names the files it looked for")
    void missingGraph() {
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.onnx")
                .hasMessageContaining("decoder_model_merged.onnx");
    }

    @Test
    @DisplayName("a missing config.json is named in the error")
    void missingConfig() throws Exception {
        TinyModels.write(directory, TinyModels.gpt2(), 1);
        Files.delete(directory.resolve("config.json"));
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .hasMessageContaining("config.json not found");
    }

    @Test
    @DisplayName("config.json that disagrees with the graph names both numbers")
    void configDisagreesWithGraph() throws Exception {
        TinyModels.write(directory, TinyModels.gpt2(), 1);
        Path config = directory.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"n_layer\" : 2", "\"n_layer\" : 3"));
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .hasMessageContaining("past inputs for 2 layers")
                .hasMessageContaining("config.json says 3");
    }

    @Test
    @DisplayName("config.json with a wrongly typed field names the field and the rule")
    void configWithWrongType() throws Exception {
        TinyModels.write(directory, TinyModels.gpt2(), 1);
        Path config = directory.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"n_head\" : 4", "\"n_head\" : \"four\""));
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .hasMessageContaining("n_head must be an integer >= 1, got \"four\"");
    }

    @Test
    @DisplayName("a graph whose inputs do not match the contract lists every violation")
    void graphOutsideTheContract() throws Exception {
        TinyModels.write(directory, TinyModels.gpt2(), 1);
        OnnxGraphBuilder graph = new OnnxGraphBuilder("not_a_decoder");
        graph.input("tokens", DataType.FLOAT, "batch", 4);
        graph.opNamed("Identity", List.of("tokens"), List.of("scores"));
        graph.output("scores", DataType.FLOAT, "batch", 4);
        write(graph);
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match the decoder-with-past contract")
                .hasMessageContaining("missing input 'input_ids'")
                .hasMessageContaining("missing output 'logits'")
                .hasMessageContaining("unexpected input 'tokens'");
    }

    @Test
    @DisplayName("caches of a type the engine does not exchange are refused, naming the tensor and its type")
    void integerCaches() throws Exception {
        TinyModels.write(directory, DecoderSpec.gpt2(1, 32, 4, 96, 64), 1);
        OnnxGraphBuilder graph = new OnnxGraphBuilder("int_caches");
        graph.input("input_ids", DataType.INT64, "batch", "seq");
        graph.input("attention_mask", DataType.INT64, "batch", "total");
        graph.input("past_key_values.0.key", DataType.INT32, "batch", 4, "past", 8);
        graph.input("past_key_values.0.value", DataType.INT32, "batch", 4, "past", 8);
        graph.opNamed("Identity", List.of("past_key_values.0.key"), List.of("present.0.key"));
        graph.opNamed("Identity", List.of("past_key_values.0.value"), List.of("present.0.value"));
        graph.opNamed("Cast", List.of("input_ids"), List.of("logits"), OnnxGraphBuilder.attribute("to", (long)
                DataType.DOUBLE.getNumber()));
        graph.output("present.0.key", DataType.INT32, "batch", 4, "total", 8);
        graph.output("present.0.value", DataType.INT32, "batch", 4, "total", 8);
        graph.output("logits", DataType.DOUBLE, "batch", "seq");
        write(graph);
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'past_key_values.0.key' must be a float32, float16 or bfloat16 tensor, got")
                .hasMessageContaining("INT32")
                .hasMessageContaining("'logits' must be a float32, float16 or bfloat16 tensor, got")
                .hasMessageContaining("DOUBLE");
    }

    @Test
    @DisplayName("a graph with an operator ONNX Runtime cannot run fails at load, naming the operator and the file")
    void unknownOperator() throws Exception {
        TinyModels.write(directory, TinyModels.gpt2(), 1);
        OnnxGraphBuilder graph = new OnnxGraphBuilder("unknown_operator");
        graph.input("input_ids", DataType.INT64, "batch", "seq");
        graph.opNamed("NoSuchOperator", List.of("input_ids"), List.of("logits"));
        graph.output("logits", DataType.FLOAT, "batch", "seq", 96);
        write(graph);
        assertThatThrownBy(() -> DecoderModel.load(directory, SessionSettings.DEFAULT))
                .isInstanceOf(OrtException.class)
                .hasMessageContaining("cannot load " + directory.resolve(ModelFiles.SINGLE_FILE))
                .hasMessageContaining("NoSuchOperator");
    }

    private void write(OnnxGraphBuilder graph) throws Exception {
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(graph.build())
                .build();
        Files.write(directory.resolve(ModelFiles.SINGLE_FILE), model.toByteArray());
    }

    @Test
    @DisplayName("prompts longer than the context, empty prompts and unknown ids are refused")
    void badPrompts() throws Exception {
        TinyModels.write(directory, TinyModels.gpt2(), 1);
        try (DecoderModel model = DecoderModel.load(directory, SessionSettings.DEFAULT)) {
            assertThatThrownBy(() -> DecoderBatch.prefill(model, List.of(new long[65])))
                    .hasMessageContaining("65 tokens, more than the model's context of 64");
            assertThatThrownBy(() -> DecoderBatch.prefill(model, List.of(new long[0])))
                    .hasMessageContaining("at least one token");
            assertThatThrownBy(() -> DecoderBatch.prefill(model, List.of(new long[] {96})))
                    .hasMessageContaining("token id must be in [0, 96), got 96");
            try (DecoderBatch batch = DecoderBatch.prefill(model, List.of(new long[] {3}))) {
                assertThatThrownBy(() -> batch.step(new long[] {1, 2}))
                        .hasMessageContaining("one token per row: 1 rows, got 2");
            }
        }
    }

    @Test
    @DisplayName("nonsense session settings are refused with every field named")
    void badSessionSettings() {
        assertThatThrownBy(() -> new SessionSettings(-1, 2000, null, SessionSettings.ExecutionProvider.CPU, -3, false))
                .hasMessageContaining("intraOpThreads must be in [0, 1024], got -1")
                .hasMessageContaining("interOpThreads must be in [0, 1024], got 2000")
                .hasMessageContaining("optimizationLevel")
                .hasMessageContaining("deviceId must be >= 0, got -3");
    }
}
