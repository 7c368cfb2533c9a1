package dev.trimtab.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.Generator;
import dev.trimtab.decoding.schedule.TokenListener;
import dev.trimtab.training.train.ProgressBar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the micro recipe end to end once, then checks the bundle it built. */
class MicroPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The base exported again in int4 ({@code also_export_quantized}). */
    private static final String QUANTIZED = "base-int4";

    private static final List<String> MODELS = List.of(
            "base",
            "dpo",
            "arm-positive",
            "arm-concise",
            "arm-positive-small",
            "rm-positive",
            "rm-positive-incremental",
            "rm-concise",
            "prefix-positive");

    @TempDir
    static Path root;

    static Path bundle;
    static JsonNode index;
    static String log;

    @BeforeAll
    static void build() throws Exception {
        bundle = root.resolve("micro");
        Recipe recipe = Recipe.read(Path.of("..", "configs", "recipes", "micro.yaml"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index = Pipeline.run(
                recipe,
                new Pipeline.Options(
                        bundle,
                        bundle.resolve(".work"),
                        false,
                        ProgressBar.Mode.LINES,
                        new PrintStream(out, true, StandardCharsets.UTF_8)));
        log = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("bundle.json lists every model of the demo layout with its kind and layout")
    void bundleIndex() throws Exception {
        JsonNode written = JSON.readTree(bundle.resolve("bundle.json").toFile());
        assertThat(written.path("models").size()).isEqualTo(index.path("models").size());
        assertThat(written.path("recipe").path("name").asText()).isEqualTo("micro");
        List<String> names = new ArrayList<>();
        index.path("models").forEach(model -> names.add(model.path("name").asText()));
        assertThat(names)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(MODELS.stream(), java.util.stream.Stream.of(QUANTIZED))
                                .toList());
        assertThat(index.path("models").get(0).path("kind").asText()).isEqualTo("policy");
        assertThat(index.path("evaluation").path("policies").path("dpo").has("positivity"))
                .isTrue();
        assertThat(index.path("pipeline").path("wall_time_s").asDouble()).isPositive();
    }

    @Test
    @DisplayName("a run's quantized export loads as int4 and its manifest checks it against the float32 export")
    void quantizedExport() throws Exception {
        JsonNode manifest =
                JSON.readTree(bundle.resolve(QUANTIZED).resolve("manifest.json").toFile());
        JsonNode precision = manifest.path("precision");
        assertThat(manifest.path("derived_from").asText()).isEqualTo("base");
        assertThat(precision.path("format").asText()).isEqualTo("int4");
        assertThat(precision.path("reference").asText()).isEqualTo("base");
        JsonNode check = precision.path("check");
        assertThat(check.path("sequences").asInt()).isPositive();
        assertThat(check.path("max_abs_logit_diff").asDouble()).isPositive();
        assertThat(check.path("greedy_agreement").asDouble()).isBetween(0.5, 1.0);
        assertThat(check.path("perplexity").asDouble()
                        / check.path("fp32_perplexity").asDouble())
                .isBetween(0.9, 1.1);
        try (LanguageModel model = LanguageModel.load(bundle.resolve(QUANTIZED), SessionSettings.DEFAULT)) {
            assertThat(model.decoder().precision()).startsWith("int4 (block 32, symmetric) weights");
        }
    }

    @Test
    @DisplayName(
            "every model directory is in the Hugging Face layout with a manifest of recipe, seed, data and metrics")
    void modelDirectories() throws Exception {
        for (String name : MODELS) {
            Path directory = bundle.resolve(name);
            for (String file :
                    List.of("model.onnx", "config.json", "tokenizer.json", "manifest.json", "training.png")) {
                assertThat(directory.resolve(file)).as(name + "/" + file).isRegularFile();
            }
            JsonNode manifest = JSON.readTree(directory.resolve("manifest.json").toFile());
            assertThat(manifest.path("recipe").path("name").asText()).isEqualTo("micro");
            assertThat(manifest.path("seed").asLong()).isEqualTo(7);
            assertThat(manifest.path("data").path("tokenizer.json").asText()).startsWith("sha256:");
            assertThat(manifest.path("metrics")
                            .path("training")
                            .path("tokens_per_s")
                            .asDouble())
                    .isPositive();
            assertThat(manifest.path("export").path("parity_max_abs_diff").asDouble())
                    .as(name + " DJL vs ONNX")
                    .isLessThanOrEqualTo(1e-4);
        }
        assertThat(JSON.readTree(bundle.resolve("rm-positive/manifest.json").toFile())
                        .path("layout")
                        .asText())
                .isEqualTo("sequence_classification");
        assertThat(JSON.readTree(bundle.resolve("dpo/manifest.json").toFile())
                        .path("metrics")
                        .path("heldout")
                        .has("accuracy"))
                .isTrue();
    }

    @Test
    @DisplayName("the exported policy generates through the engine, and the reward model scores through ONNX Runtime")
    void exportedModelsRun() throws Exception {
        try (LanguageModel model = LanguageModel.load(bundle.resolve("dpo"), SessionSettings.DEFAULT)) {
            Completion completion = new Generator(model)
                    .generate(
                            new GenerationRequest(
                                    model.tokenizer().encode("Film review of The Last Orchard:"),
                                    SamplingParams.defaults().withSeed(3).withMaxTokens(12)),
                            TokenListener.NONE);
            assertThat(completion.completionTokens()).isPositive();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(
                        bundle.resolve("rm-positive/model.onnx").toString());
                OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {{5, 6, 7}, {8, 9, 0}});
                OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {{1, 1, 1}, {1, 1, 0}});
                OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask))) {
            assertThat((float[][]) result.get(0).getValue()).hasDimensions(2, 1);
        }
    }

    @Test
    @DisplayName("the run reports progress with loss, tokens/s and ETA, and writes metrics JSONL and plots")
    void progressAndMetrics() throws Exception {
        assertThat(log).contains("base").contains("loss").contains("tok/s").contains("ETA");
        Path metrics = bundle.resolve(".work/runs/dpo/metrics.jsonl");
        assertThat(Files.readAllLines(metrics))
                .anySatisfy(line -> assertThat(line).contains("\"reward_margin\""));
        assertThat(bundle.resolve("base/training-metrics.jsonl")).isRegularFile();
    }

    @Test
    @DisplayName("resuming after one run's settings changed retrains that run and what depends on it, nothing else,"
            + " and exports again a model folder that was deleted")
    void editedRunIsRetrained() throws Exception {
        Path copy = root.resolve("edited");
        copyTree(bundle, copy);
        Workspace.delete(copy.resolve("arm-concise"));
        String yaml = Files.readString(Path.of("..", "configs", "recipes", "micro.yaml"));
        String edited = yaml.replace(
                "{name: dpo, objective: dpo, init: base, reward: positivity, steps: 6,",
                "{name: dpo, objective: dpo, init: base, reward: positivity, steps: 7,");
        assertThat(edited).isNotEqualTo(yaml);
        Path recipeFile = root.resolve("edited.yaml");
        Files.writeString(recipeFile, edited);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pipeline.run(
                Recipe.read(recipeFile),
                new Pipeline.Options(
                        copy,
                        copy.resolve(".work"),
                        true,
                        ProgressBar.Mode.NONE,
                        new PrintStream(out, true, StandardCharsets.UTF_8)));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("base: already trained", "rm-positive: already trained");
        assertThat(text).doesNotContain("dpo: already trained").contains("runs/dpo: the recipe changed");
        assertThat(JSON.readTree(copy.resolve("dpo/manifest.json").toFile())
                        .path("metrics")
                        .path("training")
                        .path("steps")
                        .asInt())
                .isEqualTo(7);
        assertThat(text).contains("arm-concise: already trained");
        assertThat(copy.resolve("arm-concise/model.onnx")).isRegularFile();
        assertThat(copy.resolve("arm-concise/manifest.json")).isRegularFile();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    @Test
    @DisplayName("a resumed pipeline over a finished one retrains nothing and rewrites the same bundle")
    void resumeIsIdempotent() throws Exception {
        Recipe recipe = Recipe.read(Path.of("..", "configs", "recipes", "micro.yaml"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        JsonNode again = Pipeline.run(
                recipe,
                new Pipeline.Options(
                        bundle,
                        bundle.resolve(".work"),
                        true,
                        ProgressBar.Mode.NONE,
                        new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("base: already trained");
        assertThat(again.path("models")).isEqualTo(index.path("models"));
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
    }
}
