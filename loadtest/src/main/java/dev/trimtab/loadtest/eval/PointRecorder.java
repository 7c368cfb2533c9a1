package dev.trimtab.loadtest.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects one point's samples and request accounting while the sweep runs; summarizes them at the end. */
final class PointRecorder {
    private final SweepPoint point;
    private final boolean grid;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Long> forwardTokens = new LinkedHashMap<>();
    private final Map<String, String> roles = new LinkedHashMap<>();
    private long wallNanos;
    private long generatedTokens;

    PointRecorder(SweepPoint point, boolean grid) {
        this.point = point;
        this.grid = grid;
    }

    SweepPoint point() {
        return point;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    void add(Generation generation, List<Sample> measured) {
        samples.addAll(measured);
        generation.forwardTokens().forEach((model, tokens) -> forwardTokens.merge(model, tokens, Long::sum));
        roles.putAll(generation.roles());
        wallNanos += generation.wallNanos();
        generatedTokens += measured.stream().mapToLong(Sample::tokens).sum();
    }

    double wallMsPerToken() {
        return generatedTokens == 0 ? Double.NaN : wallNanos / 1e6 / generatedTokens;
    }

    double meanBaseLogprob() {
        return samples.stream().mapToDouble(Sample::baseLogprob).average().orElse(Double.NaN);
    }

    /** The summary, with costs and the base log-probability relative to the reference point {@code none}. */
    PointResult result(PointRecorder none) {
        KlMethod method = KlMethod.of(point.strategy(), point.alignment());
        Estimate kl =
                switch (method) {
                    case TOKENS -> Estimate.of(samples, Sample::tokenKl);
                    case SELECTION -> Estimate.of(samples, Sample::selectionKl);
                    case UNMEASURED -> Estimate.NONE;
                };
        double bound = method == KlMethod.SELECTION
                ? BestOfNKl.bound(point.alignment().path("n").asInt(0))
                : Double.NaN;
        double noneBase = none.meanBaseLogprob();
        Map<String, Double> perSample = new LinkedHashMap<>();
        forwardTokens.forEach((model, tokens) -> perSample.put(model, (double) tokens / Math.max(1, samples.size())));
        long allTokens =
                forwardTokens.values().stream().mapToLong(Long::longValue).sum();
        return new PointResult(
                point.label(),
                point.line(),
                point.strategy(),
                point.strengths(),
                grid,
                point.alignment(),
                samples.size(),
                Estimate.of(samples, Sample::positivity),
                Estimate.of(samples, Sample::conciseness),
                method,
                kl,
                bound,
                Estimate.of(samples, s -> s.baseLogprob() - noneBase),
                TextMetrics.distinct2(samples.stream().map(Sample::text).toList()),
                samples.stream().mapToInt(Sample::tokens).average().orElse(Double.NaN),
                samples.stream().filter(Sample::degenerate).count() / (double) Math.max(1, samples.size()),
                perSample,
                roles,
                generatedTokens == 0 ? Double.NaN : (double) allTokens / generatedTokens,
                wallMsPerToken(),
                wallMsPerToken() / none.wallMsPerToken());
    }
}
