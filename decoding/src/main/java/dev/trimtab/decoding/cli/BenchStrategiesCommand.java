package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.cli.BenchCases.Case;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.registry.StrategyRegistry;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.DecodeListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Decode speed of every alignment strategy relative to plain decoding of the same base at batch 1,
 * on random-initialized models: each request is run alone through the scheduler, from submission
 * to its last token, and its wall time reported as tokens/s (the median of the repeats).
 */
@Command(
        name = "bench-strategies",
        mixinStandardHelpOptions = true,
        description = "Tokens/s of each alignment strategy relative to plain decoding, batch 1, random models.")
final class BenchStrategiesCommand implements Callable<Integer> {
    @Mixin
    ModelShapeOptions shape;

    @Mixin
    RuntimeOptions session;

    @Mixin
    PrecisionOptions precision;

    @Option(names = "--models-dir", description = "Where the random models are written and reused (default: temp).")
    Path modelsDir;

    @Option(names = "--small-layers", description = "Layers of the small ARM and reward model (default: half).")
    Integer smallLayers;

    @Option(names = "--small-hidden", description = "Width of the small ARM and reward model (default: half).")
    Integer smallHidden;

    @Option(names = "--tokens", defaultValue = "64", description = "Tokens per request (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--prompt-tokens", defaultValue = "16", description = "Prompt length (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "Measured runs per strategy (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(
            names = "--set",
            paramLabel = "STRATEGY.FIELD=JSON",
            defaultValue = "best_of_n.n=16",
            description = "A strategy parameter for every case of that strategy, e.g. best_of_n.n=16 or"
                    + " args.k=20; repeatable (default ${DEFAULT-VALUE}).")
    Map<String, String> settings;

    @Option(
            names = "--only",
            split = ",",
            description = "Run only these cases (their labels: the strategy's wire name, then each choice or"
                    + " model it was expanded over, e.g. none, args-greedy, cd-blockwise, genarm-arm-small).")
    List<String> only;

    @Option(
            names = "--concurrency",
            defaultValue = "1",
            description = "Requests of a case submitted at once, each with its own seed; rates are their sum"
                    + " (default ${DEFAULT-VALUE}).")
    int concurrency;

    /** The median run of a case. */
    private record Measurement(
            double seconds, double minSeconds, double maxSeconds, double cpuSeconds, DecodeResult result) {
        static Measurement of(double[] wall, double[] cpu, DecodeResult result) {
            double[] sorted = wall.clone();
            Arrays.sort(sorted);
            double[] cpuSorted = cpu.clone();
            Arrays.sort(cpuSorted);
            return new Measurement(
                    sorted[sorted.length / 2],
                    sorted[0],
                    sorted[sorted.length - 1],
                    cpuSorted[cpuSorted.length / 2],
                    result);
        }
    }

    @Override
    public Integer call() throws Exception {
        DecoderSpec base = shape.spec(ByteLevelBpeTokenizerFile.demo().vocabSize());
        DecoderSpec small = small(base);
        Path directory = modelsDir != null ? modelsDir : Files.createTempDirectory("trimtab-bench-strategies");
        try (BenchModels models =
                BenchModels.prepare(directory, base, small, precision.precision(), session.settings())) {
            System.out.printf(
                    "base %s %d layers x %d, vocabulary %d: %.1fM parameters; small %d layers x %d: %.1fM (%.2fx)%n",
                    base.family(),
                    base.layers(),
                    base.hidden(),
                    base.vocab(),
                    BenchModels.parameters(base) / 1e6,
                    small.layers(),
                    small.hidden(),
                    BenchModels.parameters(small) / 1e6,
                    (double) BenchModels.parameters(small) / BenchModels.parameters(base));
            run(models.alignmentModels(), models.vocab());
        }
        return 0;
    }

    private DecoderSpec small(DecoderSpec base) {
        int layers = smallLayers != null ? smallLayers : Math.max(1, base.layers() / 2);
        int hidden = smallHidden != null ? smallHidden : base.hidden() / 2;
        int heads = Math.max(1, base.heads() * hidden / base.hidden());
        int kvHeads = Math.max(1, base.kvHeads() * hidden / base.hidden());
        return new DecoderSpec(
                base.family(),
                layers,
                hidden,
                heads,
                kvHeads,
                base.intermediate() * hidden / base.hidden(),
                base.vocab(),
                base.maxPositions(),
                base.normEpsilon(),
                base.ropeTheta(),
                base.tiedHead(),
                DecoderSpec.Head.LANGUAGE_MODEL);
    }

    private List<Case> cases(AlignmentModels models) {
        List<Case> cases = BenchCases.of(StrategyRegistry.standard(), models, settings);
        return only == null
                ? cases
                : cases.stream()
                        .filter(c -> c.label().equals("none") || only.contains(c.label()))
                        .toList();
    }

    private void run(AlignmentModels models, int vocab) {
        long[] prompt = new SplittableRandom(7).longs(promptTokens, 0, vocab).toArray();
        List<Case> cases = cases(models);
        double[][] seconds = new double[cases.size()][repeats];
        double[][] cpu = new double[cases.size()][repeats];
        DecodeResult[] results = new DecodeResult[cases.size()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int run = -1; run < repeats; run++) {
            for (int c = 0; c < cases.size(); c++) {
                long start = System.nanoTime();
                long cpuStart = threads.getCurrentThreadCpuTime();
                results[c] = decode(models, requests(prompt, cases.get(c).strategy(), run + 2));
                if (run >= 0) {
                    seconds[c][run] = (System.nanoTime() - start) / 1e9;
                    cpu[c][run] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                }
            }
        }
        System.out.printf(
                "%d concurrent request(s), prompt %d tokens, %d tokens per request, median of %d runs interleaved"
                        + " across strategies (min-max); per-model passes of the first request%n%n",
                concurrency, promptTokens, tokens, repeats);
        System.out.println(
                "| strategy | tokens/s | x plain | wall x plain | ms/token (min-max) | CPU ms/token | x plain,"
                        + " by CPU time | alignment | passes, tokens per model (time) |");
        System.out.println("|---|---:|---:|---:|---|---:|---:|---|---|");
        Measurement plain = Measurement.of(seconds[0], cpu[0], results[0]);
        for (int c = 0; c < cases.size(); c++) {
            print(cases.get(c), Measurement.of(seconds[c], cpu[c], results[c]), plain);
        }
    }

    /** {@link #concurrency} requests of {@code strategy}, seeded from {@code seed} on. */
    private List<DecodeRequest> requests(long[] prompt, AlignmentStrategy strategy, long seed) {
        List<DecodeRequest> requests = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            SamplingParams sampling = SamplingParams.defaults()
                    .withSeed(seed * 1000 + i)
                    .withMaxTokens(tokens)
                    .withIgnoreEos(true);
            requests.add(new DecodeRequest(prompt, sampling, strategy, false));
        }
        return requests;
    }

    private void print(Case c, Measurement m, Measurement plain) {
        System.out.printf(
                "| %s | %.1f | %.2f | %.2f | %.1f (%.1f-%.1f) | %.1f | %.2f | %s | %s |%n",
                c.label(),
                concurrency * tokens / m.seconds(),
                plain.seconds() / m.seconds(),
                m.seconds() / plain.seconds(),
                1e3 * m.seconds() / tokens,
                1e3 * m.minSeconds() / tokens,
                1e3 * m.maxSeconds() / tokens,
                1e3 * m.cpuSeconds() / tokens,
                plain.cpuSeconds() / m.cpuSeconds(),
                c.alignment(),
                passes(m.result()));
    }

    /** Runs {@code requests} together on one scheduler; returns the first one's result. */
    private static DecodeResult decode(AlignmentModels models, List<DecodeRequest> requests) {
        DecodeResult[] results = new DecodeResult[requests.size()];
        Exception[] error = new Exception[1];
        try (Scheduler scheduler = new Scheduler(models, SchedulerSettings.DEFAULT)) {
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                scheduler.submit(requests.get(i), new DecodeListener() {
                    @Override
                    public void onToken(long token, String text, double logprob) {}

                    @Override
                    public void onFinish(DecodeResult finished) {
                        results[index] = finished;
                    }

                    @Override
                    public void onError(Exception e) {
                        error[0] = e;
                    }
                });
            }
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        if (error[0] != null) {
            throw new IllegalStateException("a benchmark request failed", error[0]);
        }
        return results[0];
    }

    private static String passes(DecodeResult result) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, ModelUsage> entry : result.accounting().models().entrySet()) {
            parts.add(String.format(
                    "%s %d, %d tokens (%.0f ms)",
                    entry.getKey(),
                    entry.getValue().forwardPasses(),
                    entry.getValue().tokens(),
                    entry.getValue().nanos() / 1e6));
        }
        return String.join(", ", parts);
    }
}
