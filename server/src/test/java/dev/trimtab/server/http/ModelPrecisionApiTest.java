package dev.trimtab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.OnnxGraphBuilder;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.server.ServerMain;
import dev.trimtab.server.TrimtabServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quantized and half-precision models served over HTTP beside a model that cannot load. */
class ModelPrecisionApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    @Test
    @DisplayName(
            "an int4 base with an fp32 ARM and an fp16 base serve, while a model with an unknown operator is left out")
    void precisionsServeBesideABrokenModel() throws Exception {
        DecoderSpec spec = DecoderSpec.gpt2(2, 32, 4, TinyModels.demoVocabSize() + 3, 64);
        TinyModels.languageModel(directory.resolve("int4"), 31, spec, precision(WeightPrecision.Format.INT4));
        TinyModels.languageModel(directory.resolve("arm"), 33, spec);
        TinyModels.languageModel(directory.resolve("fp16"), 32, spec, precision(WeightPrecision.Format.FP16));
        TinyModels.languageModel(directory.resolve("broken"), 34, spec);
        writeUnknownOperator(directory.resolve("broken").resolve("model.onnx"));
        Path config = Files.writeString(directory.resolve("server.yaml"), """
                server:
                  port: 0
                models:
                  - name: quantized
                    path: int4
                    arms: {positive: arm}
                  - name: broken
                    path: broken
                  - name: half
                    path: fp16
                """);
        try (TrimtabServer server = ServerMain.start(config, null)) {
            server.ready().get(60, TimeUnit.SECONDS);
            JsonNode models = JSON.readTree(get(server, "/v1/models").body());
            List<String> served = StreamSupport.stream(models.path("data").spliterator(), false)
                    .map(model -> model.path("id").asText())
                    .toList();
            assertThat(served).containsExactlyInAnyOrder("quantized", "half");

            HttpResponse<String> genarm = post(server, """
                    {"model": "quantized", "prompt": "The film was", "max_tokens": 6, "seed": 3, "ignore_eos": true,
                     "alignment": {"strategy": "genarm", "weights": {"positive": 1.0}}}""");
            assertThat(genarm.statusCode()).as(genarm.body()).isEqualTo(200);
            assertThat(JSON.readTree(genarm.body())
                            .path("usage")
                            .path("completion_tokens")
                            .asInt())
                    .isEqualTo(6);
            HttpResponse<String> half = post(server, """
                    {"model": "half", "prompt": "The film was", "max_tokens": 6, "seed": 3, "ignore_eos": true}""");
            assertThat(half.statusCode()).as(half.body()).isEqualTo(200);
            HttpResponse<String> broken = post(server, """
                    {"model": "broken", "prompt": "The film was", "max_tokens": 6}""");
            assertThat(broken.statusCode()).isEqualTo(404);
        }
    }

    private static ExportOptions precision(WeightPrecision.Format format) {
        return ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(format));
    }

    private static void writeUnknownOperator(Path graphFile) throws Exception {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("unknown_operator");
        graph.input("input_ids", DataType.INT64, "batch", "seq");
        graph.opNamed("NoSuchOperator", List.of("input_ids"), List.of("logits"));
        graph.output("logits", DataType.FLOAT, "batch", "seq", 8);
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(graph.build())
                .build();
        Files.write(graphFile, model.toByteArray());
    }

    private HttpResponse<String> get(TrimtabServer server, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(server, path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(TrimtabServer server, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(server, "/v1/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(TrimtabServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
