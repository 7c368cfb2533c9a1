package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.TokenHistory;
import dev.trimtab.decoding.sampling.TokenSampler;
import dev.trimtab.decoding.schedule.DecodeListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentModels;
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
 * Continuous batching against the engine on one model, in one run: closed-loop clients on the
 * scheduler (each submits its next request when the last one ends, prompts of random length) beside
 * the engine's own batched decode steps at the same batch size, with time to first token and the
 * KV cache copied between batches per generated token.
 */
@Command(
        name = "bench-serve",
        mixinStandardHelpOptions = true,
        description = "Scheduler throughput and TTFT under closed-loop load vs the engine's batched steps.")
final class BenchServeCommand implements Callable<Integer> {
    @Mixin
    ModelShapeOptions shape;

    @Mixin
    RuntimeOptions session;

    @Option(names = "--model", description = "Benchmark this model directory instead of a random one.")
    Path model;

    @Option(
            names = "--concurrency",
            split = ",",
            defaultValue = "1,8,32",
            description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(
            names = "--tokens",
            defaultValue = "64",
            description = "Mean tokens per request, drawn uniformly from half to one and a half times it so that"
                    + " requests end at different steps; the engine runs this many steps (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(
            names = "--requests",
            defaultValue = "4",
            description = "Requests per client; throughput is counted while every client is busy"
                    + " (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--prompt-tokens",
            defaultValue = "8-30",
            description = "Prompt length range, uniform (default ${DEFAULT-VALUE}).")
    String promptTokens;

    @Option(
            names = "--max-prefill-tokens",
            defaultValue = "" + SchedulerSettings.DEFAULT_MAX_PREFILL_TOKENS,
            description = "The scheduler's prompt tokens per round (default ${DEFAULT-VALUE}).")
    int maxPrefillTokens;

    @Option(
            names = "--repeats",
            defaultValue = "1",
            description = "Engine and scheduler runs per concurrency, alternated; rates and ratios are medians, TTFT"
                    + " and pauses pooled (default ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
        }
        Path directory = model != null ? model : MakeModelCommand.temporary(shape, "trimtab-bench-serve");
        int[] promptRange = promptRange();
        try (LanguageModel language = LanguageModel.load(directory, session.settings())) {
            DecoderModel decoder = language.decoder();
            System.out.printf(
                    "model %s: %d layers, vocabulary %d; %d tokens per request, prompts of %s tokens%n%n",
                    directory, decoder.cacheShape().layers(), decoder.vocabSize(), tokens, promptTokens);
            System.out.println(
                    "| concurrency | engine tokens/s | engine with prefill | scheduler tokens/s | scheduler / engine"
                            + " | scheduler / engine with prefill | x one stream | TTFT p50 ms | TTFT p99 ms"
                            + " | gap p99 ms | gap max ms | KV floats copied per token | fresh buffer floats per token |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            double single = Double.NaN;
            for (int clients : concurrency) {
                double[] engineDecode = new double[repeats];
                double[] engineWithPrefill = new double[repeats];
                double[] served = new double[repeats];
                double[] ratios = new double[repeats];
                double[] prefillRatios = new double[repeats];
                List<Served> runs = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    EngineRates engine = engineRate(decoder, clients, promptRange);
                    Served run = serve(language, clients, promptRange);
                    runs.add(run);
                    engineDecode[r] = engine.decode();
                    engineWithPrefill[r] = engine.withPrefill();
                    served[r] = run.tokensPerSecond();
                    ratios[r] = run.tokensPerSecond() / engine.decode();
                    prefillRatios[r] = run.tokensPerSecond() / engine.withPrefill();
                }
                Served pooled = Served.pool(runs);
                if (clients == 1) {
                    single = median(served);
                }
                System.out.printf(
                        "| %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
                        clients,
                        median(engineDecode),
                        median(engineWithPrefill),
                        median(served),
                        median(ratios),
                        median(prefillRatios),
                        median(served) / single,
                        percentile(pooled.ttftNanos(), 0.50) / 1e6,
                        percentile(pooled.ttftNanos(), 0.99) / 1e6,
                        percentile(pooled.gapNanos(), 0.99) / 1e6,
                        percentile(pooled.gapNanos(), 1.0) / 1e6,
                        pooled.copiedPerToken(),
                        pooled.allocatedPerToken());
            }
        }
        return 0;
    }

    private int[] promptRange() {
        String[] bounds = promptTokens.split("-", -1);
        try {
            int min = Integer.parseInt(bounds[0].strip());
            int max = bounds.length == 2 ? Integer.parseInt(bounds[1].strip()) : min;
            if (bounds.length <= 2 && min >= 1 && max >= min) {
                return new int[] {min, max};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--prompt-tokens must be N or MIN-MAX with 1 <= MIN <= MAX, got '" + promptTokens + "'");
    }

    /**
     * The engine's tokens per second: decode steps alone, and counting the prefill of the same
     * prompts too (the work each request brings to the scheduler: one prompt, then its tokens).
     */
    private record EngineRates(double decode, double withPrefill) {}

    /** The engine alone: {@code batch} rows prefilled together, then batched steps with seeded sampling. */
    private EngineRates engineRate(DecoderModel decoder, int batch, int[] promptRange) throws Exception {
        SplittableRandom random = new SplittableRandom(batch);
        List<long[]> prompts = new ArrayList<>();
        List<TokenSampler> samplers = new ArrayList<>();
        List<TokenHistory> histories = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            long[] prompt = prompt(random, decoder.vocabSize(), promptRange);
            prompts.add(prompt);
            samplers.add(new TokenSampler(SamplingParams.defaults().withSeed(r)));
            histories.add(TokenHistory.of(prompt));
        }
        float[] row = new float[decoder.vocabSize()];
        int steps = tokens - 1;
        long prefillStart = System.nanoTime();
        try (DecoderBatch running = DecoderBatch.prefill(decoder, prompts)) {
            long start = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                long[] next = new long[batch];
                for (int r = 0; r < batch; r++) {
                    running.logits().copyRow(r, row);
                    next[r] = samplers.get(r).sample(row, histories.get(r));
                    histories.get(r).add(next[r]);
                }
                running.step(next);
            }
            long end = System.nanoTime();
            return new EngineRates(
                    (double) batch * steps / ((end - start) / 1e9),
                    (double) batch * tokens / ((end - prefillStart) / 1e9));
        }
    }

    private static long[] prompt(SplittableRandom random, int vocab, int[] range) {
        return random.longs(random.nextInt(range[0], range[1] + 1), 0, vocab).toArray();
    }

    /** Closed-loop clients on the scheduler, run on this thread until every client has sent its requests. */
    private Served serve(LanguageModel language, int clients, int[] promptRange) {
        AlignmentModels models = AlignmentModels.of("base", language);
        SchedulerSettings settings =
                new SchedulerSettings(SchedulerSettings.DEFAULT_MAX_RUNNING_ROWS, maxPrefillTokens);
        Load load = new Load(clients, language.decoder().vocabSize(), promptRange);
        long copiedBefore = language.decoder().copiedCacheFloats();
        long allocatedBefore = language.decoder().allocatedCacheFloats();
        try (Scheduler scheduler = new Scheduler(models, settings)) {
            for (int c = 0; c < clients; c++) {
                load.submit(scheduler, c);
            }
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        return load.result(
                language.decoder().copiedCacheFloats() - copiedBefore,
                language.decoder().allocatedCacheFloats() - allocatedBefore);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double percentile(long[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /**
     * What one closed-loop run measured; {@code gapNanos}: the pauses between two tokens of one
     * stream, which a prefill in the same round lengthens.
     */
    private record Served(
            double tokensPerSecond,
            long[] ttftNanos,
            long[] gapNanos,
            long copiedFloats,
            long allocatedFloats,
            long totalTokens) {

        /** The runs' pauses, first tokens, copies and tokens together (their rates are not pooled). */
        static Served pool(List<Served> runs) {
            return new Served(
                    Double.NaN,
                    runs.stream()
                            .flatMapToLong(run -> Arrays.stream(run.ttftNanos()))
                            .toArray(),
                    runs.stream()
                            .flatMapToLong(run -> Arrays.stream(run.gapNanos()))
                            .toArray(),
                    runs.stream().mapToLong(Served::copiedFloats).sum(),
                    runs.stream().mapToLong(Served::allocatedFloats).sum(),
                    runs.stream().mapToLong(Served::totalTokens).sum());
        }

        double copiedPerToken() {
            return (double) copiedFloats / totalTokens;
        }

        double allocatedPerToken() {
            return (double) allocatedFloats / totalTokens;
        }
    }

    /** The clients: each submits its next request when its last one ends. */
    private final class Load {
        private final int vocab;
        private final int[] promptRange;
        private final SplittableRandom random = new SplittableRandom(42);
        private final int[] sent;
        private final List<Long> ttfts = new ArrayList<>();
        private final List<Long> gaps = new ArrayList<>();
        private final long start = System.nanoTime();
        private long tokensWhileAllBusy;
        private long totalTokens;
        private long allBusyUntil = -1;

        Load(int clients, int vocab, int[] promptRange) {
            this.vocab = vocab;
            this.promptRange = promptRange;
            this.sent = new int[clients];
        }

        void submit(Scheduler scheduler, int client) {
            if (sent[client] == requests) {
                if (allBusyUntil < 0) {
                    allBusyUntil = System.nanoTime();
                }
                return;
            }
            sent[client]++;
            long[] prompt = prompt(random, vocab, promptRange);
            SamplingParams sampling = SamplingParams.defaults()
                    .withSeed(random.nextLong())
                    .withMaxTokens(random.nextInt(Math.max(1, tokens / 2), tokens + tokens / 2 + 1))
                    .withIgnoreEos(true);
            long submitted = System.nanoTime();
            scheduler.submit(DecodeRequest.of(prompt, sampling), new DecodeListener() {
                private long last = -1;

                @Override
                public void onToken(long token, String text, double logprob) {
                    long now = System.nanoTime();
                    if (last < 0) {
                        ttfts.add(now - submitted);
                    } else {
                        gaps.add(now - last);
                    }
                    last = now;
                    totalTokens++;
                    if (allBusyUntil < 0) {
                        tokensWhileAllBusy++;
                    }
                }

                @Override
                public void onFinish(DecodeResult result) {
                    submit(scheduler, client);
                }

                @Override
                public void onError(Exception error) {
                    throw new IllegalStateException("a benchmark request failed", error);
                }
            });
        }

        Served result(long copiedFloats, long allocatedFloats) {
            long end = allBusyUntil < 0 ? System.nanoTime() : allBusyUntil;
            double rate = tokensWhileAllBusy / ((end - start) / 1e9);
            return new Served(
                    rate,
                    ttfts.stream().mapToLong(Long::longValue).toArray(),
                    gaps.stream().mapToLong(Long::longValue).toArray(),
                    copiedFloats,
                    allocatedFloats,
                    totalTokens);
        }
    }
}
