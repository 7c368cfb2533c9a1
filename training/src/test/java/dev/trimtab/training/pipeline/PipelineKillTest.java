package dev.trimtab.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import dev.trimtab.training.train.Checkpoint;
import dev.trimtab.training.train.ProgressBar;
import dev.trimtab.training.train.TensorFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a real {@code train pipeline} process with SIGKILL mid-run and resumes it. */
class PipelineKillTest {
    private static final int STEPS = 120;
    private static final String RECIPE = """
            name: kill
            seed: 11
            data: {train_examples: 200, heldout_examples: 20, sampling_prompts: 4, eval_prompts: 2}
            tokenizer: {vocab_size: 400}
            architectures:
              tiny: {family: gpt2, layers: 1, hidden: 32, heads: 2, context: 64}
            defaults: {batch_size: 8, learning_rate: 0.005, warmup_steps: 5, checkpoint_every: 10, eval_every: 1000}
            runs:
              - {name: base, objective: sft, architecture: tiny, steps: %d}
            """.formatted(STEPS);

    @TempDir
    Path root;

    @Test
    @DisplayName("a pipeline killed with SIGKILL and resumed ends with the weights of an uninterrupted one")
    void killAndResume() throws Exception {
        Path recipeFile = root.resolve("kill.yaml");
        Files.writeString(recipeFile, RECIPE);
        Recipe recipe = Recipe.read(recipeFile);
        DecoderWeights uninterrupted = run(recipe, root.resolve("straight"), false);

        Path killed = root.resolve("killed");
        Path checkpoint = killed.resolve(".work/runs/base/checkpoint.bin");
        Process process = start(recipeFile, killed);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(checkpoint) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            process.destroyForcibly().waitFor();
        }
        int step = new ObjectMapper()
                .readTree(TensorFile.read(checkpoint).metadata())
                .path("step")
                .asInt();
        assertThat(step).as("the process was killed mid-run").isBetween(1, STEPS - 1);
        assertThat(killed.resolve(".work/runs/base/weights.bin")).doesNotExist();

        DecoderWeights resumed = run(recipe, killed, true);
        assertThat(maxDifference(uninterrupted, resumed)).isLessThanOrEqualTo(1e-5f);
        assertThat(killed.resolve("bundle.json")).isRegularFile();
    }

    private static DecoderWeights run(Recipe recipe, Path bundle, boolean resume) throws Exception {
        Pipeline.run(
                recipe,
                new Pipeline.Options(
                        bundle,
                        bundle.resolve(".work"),
                        resume,
                        ProgressBar.Mode.NONE,
                        new PrintStream(PrintStream.nullOutputStream())));
        return Checkpoint.readWeights(bundle.resolve(".work/runs/base/weights.bin"));
    }

    private static Process start(Path recipe, Path bundle) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.trimtab.training.cli.TrainCli",
                "pipeline",
                "--recipe",
                recipe.toString(),
                "--out",
                bundle.toString(),
                "--progress",
                "none");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(bundle.getParent().resolve("killed.log").toFile())
                .start();
    }

    private static float maxDifference(DecoderWeights a, DecoderWeights b) {
        float max = 0;
        for (var entry : a.asMap().entrySet()) {
            FloatTensor other = b.get(entry.getKey());
            for (int i = 0; i < entry.getValue().data().length; i++) {
                max = Math.max(max, Math.abs(entry.getValue().data()[i] - other.data()[i]));
            }
        }
        return max;
    }
}
