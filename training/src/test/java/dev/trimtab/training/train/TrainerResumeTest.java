package dev.trimtab.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.DecoderInit;
import dev.trimtab.training.objective.NextTokenObjective;
import dev.trimtab.training.optim.AdamW;
import dev.trimtab.training.optim.LearningRateSchedule;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerResumeTest {
    private static final DecoderSpec SPEC = DecoderSpec.gpt2(1, 16, 2, 20, 16);
    private static final int STEPS = 12;
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @TempDir
    Path root;

    private static List<TokenSequence> data() {
        SplittableRandom random = new SplittableRandom(9);
        List<TokenSequence> sequences = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long[] ids = new long[4 + random.nextInt(8)];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = (t * 3 + i % 5) % 19;
            }
            sequences.add(new TokenSequence(ids, 1 + random.nextInt(2)));
        }
        return sequences;
    }

    private static Trainer<TokenSequence> trainer(Path directory) {
        RunSettings settings = new RunSettings(
                STEPS,
                8,
                new LearningRateSchedule(1e-2, 3, STEPS, 0.1),
                new AdamW.Settings(0.9, 0.95, 1e-8, 0.01, 1.0),
                5,
                2,
                6,
                42);
        List<TokenSequence> data = data();
        return new Trainer<>(
                "resume-test",
                settings,
                new NextTokenObjective(19),
                data,
                data.subList(0, 8),
                new RunFiles(directory),
                "fingerprint-1");
    }

    private static Trainer.Result run(Trainer<TokenSequence> trainer, boolean resume, Trainer.StepListener listener)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            return trainer.run(
                    manager, SPEC, DecoderInit.random(SPEC, 3), resume, ProgressBar.Mode.NONE, QUIET, listener);
        }
    }

    @Test
    @DisplayName("a run killed after its step-5 checkpoint and resumed ends with the uninterrupted run's weights")
    void resumeMatchesUninterrupted() throws Exception {
        DecoderWeights uninterrupted = run(trainer(root.resolve("straight")), false, Trainer.StepListener.NONE)
                .weights();
        Path interrupted = root.resolve("killed");
        assertThatThrownBy(() -> run(trainer(interrupted), false, step -> {
                    if (step == 7) {
                        throw new IllegalStateException("killed at step 7");
                    }
                }))
                .hasMessage("killed at step 7");
        assertThat(new ObjectMapper()
                        .readTree(TensorFile.read(interrupted.resolve("checkpoint.bin"))
                                .metadata())
                        .path("step")
                        .asInt())
                .isEqualTo(5);
        DecoderWeights resumed =
                run(trainer(interrupted), true, Trainer.StepListener.NONE).weights();
        assertThat(maxDifference(uninterrupted, resumed)).isLessThanOrEqualTo(1e-6f);
        assertThat(maxDifference(uninterrupted, DecoderInit.random(SPEC, 3))).isGreaterThan(1e-3f);
    }

    @Test
    @DisplayName("the resumed run's metrics read as one run: steps logged once each, in order")
    void metricsAreContinuous() throws Exception {
        Path directory = root.resolve("metrics");
        assertThatThrownBy(() -> run(trainer(directory), false, step -> {
            if (step == 9) {
                throw new IllegalStateException("killed");
            }
        }));
        run(trainer(directory), true, Trainer.StepListener.NONE);
        List<Integer> steps = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(directory.resolve("metrics.jsonl"))) {
            var record = json.readTree(line);
            if (record.path("split").asText().equals("train")) {
                steps.add(record.path("step").asInt());
            }
            assertThat(record.has("loss")).isTrue();
        }
        assertThat(steps).containsExactly(2, 4, 6, 8, 10, 12);
        assertThat(Files.size(directory.resolve("training.png"))).isGreaterThan(1000);
        assertThat(Files.readString(directory.resolve("metrics.jsonl")))
                .contains("\"split\":\"heldout\",\"step\":12")
                .contains("\"perplexity\"")
                .contains("\"tokens_per_s\"");
    }

    @Test
    @DisplayName("a checkpoint of other settings is refused on resume")
    void refusesForeignCheckpoint() throws Exception {
        Path directory = root.resolve("foreign");
        run(trainer(directory), false, Trainer.StepListener.NONE);
        Trainer<TokenSequence> other = new Trainer<>(
                "other",
                new RunSettings(
                        STEPS,
                        8,
                        new LearningRateSchedule(1e-2, 3, STEPS, 0.1),
                        new AdamW.Settings(0.9, 0.95, 1e-8, 0.01, 1.0),
                        5,
                        2,
                        6,
                        42),
                new NextTokenObjective(19),
                data(),
                List.of(),
                new RunFiles(directory),
                "fingerprint-2");
        assertThatThrownBy(() -> run(other, true, Trainer.StepListener.NONE))
                .hasMessageContaining("was written by run \"resume-test\" with other settings or data");
    }

    private static float maxDifference(DecoderWeights a, DecoderWeights b) {
        float max = 0;
        for (var entry : a.asMap().entrySet()) {
            FloatTensor other = b.get(entry.getKey());
            float[] x = entry.getValue().data();
            float[] y = other.data();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }
}
