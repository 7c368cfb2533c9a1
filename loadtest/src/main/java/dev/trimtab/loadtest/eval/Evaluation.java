package dev.trimtab.loadtest.eval;

import dev.trimtab.loadtest.workload.JsonlPrompts;
import dev.trimtab.loadtest.workload.Prompt;
import dev.trimtab.rewards.gold.Conciseness;
import dev.trimtab.rewards.gold.GoldReward;
import dev.trimtab.rewards.gold.GoldRewards;
import dev.trimtab.rewards.gold.Positivity;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Runs a sweep against a server: after one unrecorded warm-up request per point, for each prompt, every point in a shuffled order (so that each point's wall time is
 * measured interleaved with {@code none}'s, under the same load), one request of {@code samples} completions, then
 * one request rescoring them under the base model; finally each point's summary.
 */
public final class Evaluation {

    private static final GoldReward POSITIVITY = GoldRewards.byName(Positivity.NAME);
    private static final GoldReward CONCISENESS = GoldRewards.byName(Conciseness.NAME);

    private Evaluation() {}

    /**
     * Runs {@code config} against the server at {@code url}.
     *
     * @throws IOException when a request fails (the message names the point and the server's error)
     * @throws IllegalArgumentException when the prompt file is malformed or too short
     */
    public static EvalReport run(SweepConfig config, URI url, EvalProgress progress)
            throws IOException, InterruptedException {
        List<Prompt> prompts = prompts(config);
        List<PointRecorder> recorders = new ArrayList<>();
        for (SweepLine line : config.lines()) {
            line.points().forEach(point -> recorders.add(new PointRecorder(point, line.grid())));
        }
        long start = System.nanoTime();
        try (EvalClient client = new EvalClient(url, config.model())) {
            warmUp(client, config, recorders, prompts.getFirst().text());
            sweep(client, config, prompts, recorders, progress, start);
        }
        PointRecorder none = recorders.stream()
                .filter(r -> r.point().strategy().equals("none"))
                .findFirst()
                .orElseThrow();
        return new EvalReport(
                url.toString(),
                config.model(),
                config.prompts().toString(),
                prompts.size(),
                config.samples(),
                config.maxTokens(),
                config.seed(),
                (System.nanoTime() - start) / 1e9,
                recorders.stream().map(r -> r.result(none)).toList(),
                recorders.stream().map(PointRecorder::samples).toList());
    }

    /** Every prompt, and for each every point in an order shuffled from the sweep's seed. */
    private static void sweep(
            EvalClient client,
            SweepConfig config,
            List<Prompt> prompts,
            List<PointRecorder> recorders,
            EvalProgress progress,
            long start)
            throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(config.seed());
        int total = prompts.size() * recorders.size();
        int done = 0;
        for (int i = 0; i < prompts.size(); i++) {
            List<PointRecorder> order = new ArrayList<>(recorders);
            Collections.shuffle(order, new Random(random.nextLong()));
            for (PointRecorder recorder : order) {
                measure(client, config, recorder, i, prompts.get(i).text());
                progress.onRequest(++done, total, recorder.point().label(), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /**
     * One unrecorded request per point before measuring, so that no point's wall time pays for first-use costs
     * (class loading, the server's first pass of an auxiliary model).
     */
    private static void warmUp(EvalClient client, SweepConfig config, List<PointRecorder> recorders, String prompt)
            throws IOException, InterruptedException {
        for (PointRecorder recorder : recorders) {
            client.generate(recorder.point(), prompt, 1, Math.min(8, config.maxTokens()), config.seed() - 1);
        }
    }

    private static List<Prompt> prompts(SweepConfig config) {
        if (!java.nio.file.Files.isRegularFile(config.prompts())) {
            throw new IllegalArgumentException("prompts file " + config.prompts() + " does not exist; set prompts in"
                    + " the sweep file or give --prompts (the demo bundle's are written by bin/train pipeline)");
        }
        List<Prompt> all = JsonlPrompts.load(config.prompts()).prompts();
        if (all.size() < config.promptCount()) {
            throw new IllegalArgumentException("prompt_count is " + config.promptCount() + " but " + config.prompts()
                    + " holds " + all.size() + " prompts; lower prompt_count or give a longer file");
        }
        return all.subList(0, config.promptCount());
    }

    private static void measure(EvalClient client, SweepConfig config, PointRecorder recorder, int index, String prompt)
            throws IOException, InterruptedException {
        SweepPoint point = recorder.point();
        Generation generation =
                client.generate(point, prompt, config.samples(), config.maxTokens(), config.seed() + index);
        List<long[]> sequences = generation.choices().stream()
                .map(c -> concat(c.promptTokenIds(), c.tokenIds()))
                .toList();
        List<double[]> base = client.score(sequences);
        int n = point.alignment().path("n").asInt(0);
        List<Sample> samples = new ArrayList<>();
        for (int j = 0; j < generation.choices().size(); j++) {
            Generation.Choice choice = generation.choices().get(j);
            double selection = point.strategy().equals("best_of_n")
                            && j < generation.chosenRewards().size()
                    ? BestOfNKl.logRatio(generation.chosenRewards().get(j), othersThan(generation, j), n)
                    : Double.NaN;
            samples.add(new Sample(
                    index,
                    choice.text(),
                    choice.promptTokenIds(),
                    choice.tokenIds(),
                    sum(choice.tokenLogprobs(), 0),
                    sum(base.get(j), choice.promptTokenIds().length),
                    POSITIVITY.score(prompt, choice.text()),
                    CONCISENESS.score(prompt, choice.text()),
                    selection,
                    TextMetrics.degenerate(choice.text())));
        }
        recorder.add(generation, samples);
    }

    /** The rewards of the candidates drawn for every choice but {@code choice}. */
    private static List<Double> othersThan(Generation generation, int choice) {
        List<Double> others = new ArrayList<>();
        for (int g = 0; g < generation.candidateRewards().size(); g++) {
            if (g != choice) others.addAll(generation.candidateRewards().get(g));
        }
        return others;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static double sum(double[] values, int from) {
        double total = 0;
        for (int i = from; i < values.length; i++) total += values[i];
        return total;
    }
}
