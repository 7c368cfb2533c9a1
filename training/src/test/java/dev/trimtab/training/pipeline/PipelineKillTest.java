package dev.trimtab.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import dev.trimtab.training.train.Checkpoint;
import dev.trimtab.training.train.TensorFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train pipeline} as a user runs it, in fresh processes: once straight through; once killed
 * with SIGKILL mid-run, then started again with {@code --resume}.
 */
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
        Path recipe = root.resolve("kill.yaml");
        Files.writeString(recipe, RECIPE);
        Path straight = root.resolve("straight");
        assertThat(start(recipe, straight, false).waitFor()).isZero();

        Path killed = root.resolve("killed");
        Path checkpoint = killed.resolve(".work/runs/base/checkpoint.bin");
        Process process = start(recipe, killed, false);
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
        assertThat(killed.resolve("bundle.json")).doesNotExist();

        assertThat(start(recipe, killed, true).waitFor()).isZero();
        assertThat(maxDifference(weights(straight), weights(killed))).isLessThanOrEqualTo(1e-6f);
        assertThat(killed.resolve("bundle.json")).isRegularFile();
    }

    private static DecoderWeights weights(Path bundle) throws Exception {
        return Checkpoint.readWeights(bundle.resolve(".work/runs/base/weights.bin"));
    }

    /** {@code train pipeline --recipe RECIPE --out BUNDLE [--resume]} in a new JVM. */
    private static Process start(Path recipe, Path bundle, boolean resume) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "--add-modules",
                "jdk.incubator.vector",
                "-Dai.djl.offline=true",
                // One libtorch thread: its multi-threaded CPU kernels do not sum in the same order
                // every run, and training amplifies the last-bit differences.
                "-Dai.djl.pytorch.num_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.trimtab.training.cli.TrainCli",
                "pipeline",
                "--recipe",
                recipe.toString(),
                "--out",
                bundle.toString(),
                "--progress",
                "none"));
        if (resume) {
            command.add("--resume");
        }
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(bundle.resolveSibling(bundle.getFileName() + (resume ? "-resume" : "") + ".log")
                        .toFile())
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
