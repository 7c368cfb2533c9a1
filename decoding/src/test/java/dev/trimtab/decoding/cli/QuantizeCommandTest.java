package dev.trimtab.decoding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.model.JsonFiles;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.WeightPrecision;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuantizeCommandTest {
    private static final DecoderSpec SPEC = DecoderSpec.llama(2, 32, 4, 2, 64, TinyModels.demoVocabSize() + 3, 64);

    @TempDir
    Path directory;

    @Test
    @DisplayName(
            "quantizing a float32 directory writes the graph a direct export in that precision writes, and checks it")
    void quantizedEqualsDirectExport() throws Exception {
        Path source = TinyModels.languageModel(directory.resolve("fp32"), 3, SPEC);
        WeightPrecision int4 = WeightPrecision.of(WeightPrecision.Format.INT4).withSymmetric(false);
        Path direct = TinyModels.languageModel(
                directory.resolve("direct"), 3, SPEC, ExportOptions.DEFAULT.withPrecision(int4));
        Path quantized = directory.resolve("int4");
        Path text = directory.resolve("heldout.jsonl");
        Files.writeString(text, """
                {"prompt": "Film review of The Hidden Harbor:", "completion": " The cast is dull."}
                {"prompt": "Product review of the Nimbus kettle:", "completion": " It works."}
                """);

        int exit = run(
                "quantize",
                "--model",
                source.toString(),
                "--out",
                quantized.toString(),
                "--precision",
                "int4",
                "--asymmetric",
                "--check-text",
                text.toString());

        assertThat(exit).isZero();
        assertThat(Files.readAllBytes(quantized.resolve("model.onnx")))
                .isEqualTo(Files.readAllBytes(direct.resolve("model.onnx")));
        assertThat(quantized.resolve("tokenizer.json")).hasSameBinaryContentAs(source.resolve("tokenizer.json"));
        JsonNode precision = JsonFiles.mapper()
                .readTree(quantized.resolve("manifest.json").toFile())
                .path("precision");
        assertThat(precision.path("format").asText()).isEqualTo("int4");
        assertThat(precision.path("symmetric").asBoolean()).isFalse();
        JsonNode check = precision.path("check");
        assertThat(check.path("sequences").asInt()).isEqualTo(2);
        assertThat(check.path("max_abs_logit_diff").asDouble()).isBetween(1e-6, 0.5);
        assertThat(check.path("greedy_agreement").asDouble()).isBetween(0.5, 1.0);
        assertThat(check.path("perplexity").asDouble()
                        / check.path("fp32_perplexity").asDouble())
                .isBetween(0.9, 1.1);
        try (DecoderModel model = DecoderModel.load(quantized, SessionSettings.DEFAULT)) {
            assertThat(model.precision()).startsWith("int4 (block 32, asymmetric) weights");
        }
    }

    @Test
    @DisplayName("a model that is not float32 is refused, naming the weight and its type")
    void refusesReducedSource() throws Exception {
        Path half = TinyModels.languageModel(
                directory.resolve("fp16"),
                3,
                SPEC,
                ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(WeightPrecision.Format.FP16)));
        StringWriter errors = new StringWriter();
        CommandLine line = TrimtabCli.commandLine();
        line.setErr(new PrintWriter(errors));

        int exit = line.execute(
                "quantize",
                "--model",
                half.toString(),
                "--out",
                directory.resolve("int8").toString(),
                "--precision",
                "int8");

        assertThat(exit).isEqualTo(2);
        assertThat(errors.toString()).contains("'embed.weight' is FLOAT16, not FLOAT");
    }

    @Test
    @DisplayName("an unknown precision is refused, naming the choices")
    void unknownPrecision() {
        StringWriter errors = new StringWriter();
        CommandLine line = TrimtabCli.commandLine();
        line.setErr(new PrintWriter(errors));

        int exit = line.execute("make-model", "--out", directory.toString(), "--precision", "int3");

        assertThat(exit).isNotZero();
        assertThat(errors.toString()).contains("--precision must be fp32, fp16, int8 or int4, got 'int3'");
    }

    private static int run(String... args) {
        return TrimtabCli.commandLine().execute(args);
    }
}
