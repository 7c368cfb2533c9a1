package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.Logits;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.TokenHistory;
import dev.trimtab.decoding.sampling.TokenSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures decode throughput of the engine: batched steps with seeded sampling of every row, the
 * share of each step spent outside {@code session.run}, and resident memory over many steps.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Decode tokens/s at several batch sizes on a random-initialized (or given) model.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelShapeOptions shape;

    @Mixin
    RuntimeOptions session;

    @Mixin
    PrecisionOptions precision;

    @Option(names = "--model", description = "Benchmark this model directory instead of a random one.")
    Path model;

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "1,8,32",
            description = "Batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
            names = "--steps",
            defaultValue = "64",
            description = "Measured decode steps per batch size (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "8", description = "Unmeasured steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--prompt-tokens",
            defaultValue = "16",
            description = "Prompt length of every row (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(
            names = "--memory-steps",
            defaultValue = "0",
            description =
                    "Also decode this many steps at batch 1 and report resident memory after 100 and after all (0: skip).")
    int memorySteps;

    @Option(
            names = "--compare",
            split = ",",
            description = "Model directories measured in turn in one process, round by round (--rounds), so that a"
                    + " noisy machine slows them alike: each one's median tokens/s and its ratio to the first.")
    List<Path> compare;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description =
                    "Rounds of --compare: each model at each batch size once per round (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (compare != null && !compare.isEmpty()) {
            compareModels();
            return 0;
        }
        Path directory =
                model != null ? model : MakeModelCommand.temporary(shape, precision.precision(), "trimtab-bench");
        try (DecoderModel decoder = DecoderModel.load(directory, session.settings())) {
            System.out.printf(
                    "model %s: %d layers, vocabulary %d, %s%n",
                    directory, decoder.cacheShape().layers(), decoder.vocabSize(), decoder.precision());
            System.out.println("| batch | decode tokens/s | ms/step | outside session.run |");
            System.out.println("|---:|---:|---:|---:|");
            for (int batch : batches) {
                Measurement m = measure(decoder, batch);
                System.out.printf(
                        "| %d | %.1f | %.2f | %.2f%% |%n",
                        batch, m.tokensPerSecond(), m.msPerStep(), 100 * m.outsideShare());
            }
            if (memorySteps > 0) {
                reportMemory(decoder);
            }
        }
        return 0;
    }

    /**
     * Measures every model of {@code --compare} at every batch size once per round, models in turn,
     * and reports the median rate and the median of the per-round ratios to the first model: a
     * ratio of two runs minutes apart on a shared machine says little, one of neighbouring runs more.
     */
    private void compareModels() throws Exception {
        List<DecoderModel> models = new ArrayList<>();
        try {
            for (Path directory : compare) {
                models.add(DecoderModel.load(directory, session.settings()));
            }
            double[][][] rates = new double[models.size()][batches.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int b = 0; b < batches.size(); b++) {
                    for (int m = 0; m < models.size(); m++) {
                        rates[m][b][round] =
                                measure(models.get(m), batches.get(b)).tokensPerSecond();
                    }
                }
            }
            System.out.println("| model | precision | batch | decode tokens/s (median) | min | max | x first |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|");
            for (int m = 0; m < models.size(); m++) {
                for (int b = 0; b < batches.size(); b++) {
                    double[] ratios = new double[rounds];
                    for (int round = 0; round < rounds; round++) {
                        ratios[round] = rates[m][b][round] / rates[0][b][round];
                    }
                    double[] sorted = rates[m][b].clone();
                    Arrays.sort(sorted);
                    System.out.printf(
                            "| %s | %s | %d | %.1f | %.1f | %.1f | %.2f |%n",
                            compare.get(m).getFileName(),
                            models.get(m).precision(),
                            batches.get(b),
                            median(rates[m][b]),
                            sorted[0],
                            sorted[rounds - 1],
                            median(ratios));
                }
            }
        } finally {
            for (DecoderModel model : models) {
                model.close();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private Measurement measure(DecoderModel decoder, int batchSize) throws Exception {
        Rows rows = new Rows(decoder, batchSize, promptTokens);
        try (DecoderBatch batch = DecoderBatch.prefill(decoder, rows.prompts())) {
            for (int i = 0; i < warmup; i++) {
                batch.step(rows.sample(batch.logits()));
            }
            batch.timer().reset();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                batch.step(rows.sample(batch.logits()));
            }
            long elapsed = System.nanoTime() - start;
            return new Measurement(batchSize, steps, elapsed, batch.timer().runNanos());
        }
    }

    /**
     * Decodes {@code memorySteps} steps at batch 1, restarting the sequence whenever the context fills,
     * and compares resident memory at the end of the first pass through the context with that at the
     * end (ONNX Runtime's arena grows with the sequence length, so only equal lengths compare).
     */
    private void reportMemory(DecoderModel decoder) throws Exception {
        long afterFirstPass = 0;
        int firstPassSteps = 0;
        int done = 0;
        while (done < memorySteps) {
            Rows rows = new Rows(decoder, 1, promptTokens);
            try (DecoderBatch batch = DecoderBatch.prefill(decoder, rows.prompts())) {
                while (done < memorySteps && batch.tokens(0) < decoder.contextLength()) {
                    batch.step(rows.sample(batch.logits()));
                    done++;
                }
            }
            if (afterFirstPass == 0) {
                afterFirstPass = residentBytes();
                firstPassSteps = done;
            }
        }
        System.out.printf(
                "resident memory after the first pass through the context (%d steps): %.1f MiB;"
                        + " after %d steps: %.1f MiB%n",
                firstPassSteps, afterFirstPass / 1048576.0, memorySteps, residentBytes() / 1048576.0);
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("/proc/self/status has no VmRSS");
    }

    /** Seeded random prompts and one seeded sampler per row. */
    private static final class Rows {
        private final List<long[]> prompts = new ArrayList<>();
        private final List<TokenSampler> samplers = new ArrayList<>();
        private final List<TokenHistory> histories = new ArrayList<>();
        private final float[] row;

        Rows(DecoderModel decoder, int batch, int promptTokens) {
            SplittableRandom random = new SplittableRandom(batch);
            row = new float[decoder.vocabSize()];
            for (int r = 0; r < batch; r++) {
                long[] prompt =
                        random.longs(promptTokens, 0, decoder.vocabSize()).toArray();
                prompts.add(prompt);
                samplers.add(new TokenSampler(SamplingParams.defaults().withSeed(r)));
                histories.add(TokenHistory.of(prompt));
            }
        }

        List<long[]> prompts() {
            return prompts;
        }

        long[] sample(Logits logits) {
            long[] tokens = new long[samplers.size()];
            for (int r = 0; r < tokens.length; r++) {
                tokens[r] = samplers.get(r).sample(logits.copyRow(r, row), histories.get(r));
                histories.get(r).add(tokens[r]);
            }
            return tokens;
        }
    }

    private record Measurement(int batch, int steps, long elapsedNanos, long runNanos) {
        double tokensPerSecond() {
            return (double) batch * steps / (elapsedNanos / 1e9);
        }

        double msPerStep() {
            return elapsedNanos / 1e6 / steps;
        }

        double outsideShare() {
            return 1 - (double) runNanos / elapsedNanos;
        }
    }
}
