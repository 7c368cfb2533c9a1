package dev.trimtab.loadtest.report;

import dev.trimtab.loadtest.ErrorSpan;
import dev.trimtab.loadtest.Latency;
import dev.trimtab.loadtest.Numbers;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.StepReport;
import dev.trimtab.loadtest.StrategyStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The report as Markdown tables, printed to the console and written to {@code report.md}. */
public final class MarkdownReport {

    private static final List<Map.Entry<String, Function<StrategyStats, Latency>>> METRICS = List.of(
            Map.entry("TTFT", StrategyStats::ttft),
            Map.entry("ITL", StrategyStats::itl),
            Map.entry("TPOT", StrategyStats::tpot),
            Map.entry("E2E", StrategyStats::e2e),
            Map.entry("queue", StrategyStats::queue));

    private MarkdownReport() {}

    public static String render(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("# Load test of ")
                .append(report.target())
                .append(", model ")
                .append(report.model())
                .append("\n\n");
        out.append("| setting | value |\n|---|---|\n");
        report.settings().forEach((key, value) -> row(out, key, value));
        row(out, "seed", Long.toString(report.seed()));
        row(out, "started", report.startedAt());
        for (StepReport step : report.steps()) {
            step(out, step);
        }
        if (report.steps().size() > 1) {
            sweep(out, report);
        }
        out.append("\n**").append(report.verdict()).append("**\n");
        return out.toString();
    }

    private static void step(StringBuilder out, StepReport step) {
        out.append(String.format(
                Locale.ROOT,
                "%n## %s: %.1f s measured, %d requests (%d warm-up), SLO %s%n%n",
                step.label(),
                step.measuredSeconds(),
                step.overall().requests(),
                step.warmupRequests(),
                step.sloMet() ? "met" : "not met"));
        throughputs(out, step);
        latencies(out, step);
        errors(out, step);
    }

    private static void throughputs(StringBuilder out, StepReport step) {
        out.append("| strategy | requests | ok | failed | req/s | output tok/s | goodput req/s | good |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StrategyStats stats : rows(step)) {
            row(
                    out,
                    stats.strategy(),
                    Long.toString(stats.requests()),
                    Long.toString(stats.succeeded()),
                    Long.toString(stats.failed()),
                    Format.rate(stats.requestsPerSecond()),
                    Format.rate(stats.outputTokensPerSecond()),
                    Format.rate(stats.goodput().requestsPerSecond()),
                    Format.percent(stats.goodput().attainment()));
        }
    }

    private static void latencies(StringBuilder out, StepReport step) {
        out.append("\n| latency (ms) | strategy | n | mean | p50 | p90 | p99 | p99.9 | max |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var metric : METRICS) {
            for (StrategyStats stats : rows(step)) {
                Latency latency = metric.getValue().apply(stats);
                row(
                        out,
                        metric.getKey(),
                        stats.strategy(),
                        Long.toString(latency.count()),
                        Format.ms(latency.meanMs()),
                        Format.ms(latency.p50Ms()),
                        Format.ms(latency.p90Ms()),
                        Format.ms(latency.p99Ms()),
                        Format.ms(latency.p999Ms()),
                        Format.ms(latency.maxMs()));
            }
        }
    }

    private static void errors(StringBuilder out, StepReport step) {
        if (step.overall().errors().isEmpty()) {
            return;
        }
        out.append("\n| errors | strategy | count | from s | to s | first seen |\n|---|---|---:|---:|---:|---|\n");
        for (StrategyStats stats : rows(step)) {
            stats.errors().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(error -> row(
                            out,
                            error.getKey(),
                            stats.strategy(),
                            Long.toString(error.getValue()),
                            seconds(stats.errorSpans().get(error.getKey()), ErrorSpan::firstSeconds),
                            seconds(stats.errorSpans().get(error.getKey()), ErrorSpan::lastSeconds),
                            stats.errorSamples().getOrDefault(error.getKey(), "")));
        }
    }

    private static String seconds(ErrorSpan span, ToDoubleFunction<ErrorSpan> end) {
        return span == null ? "" : String.format(Locale.ROOT, "%.2f", end.applyAsDouble(span));
    }

    /** All, then each strategy; a single strategy's row would repeat the overall one. */
    private static List<StrategyStats> rows(StepReport step) {
        if (step.strategies().size() == 1) {
            return List.of(step.overall());
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(step.overall()), step.strategies().stream())
                .toList();
    }

    private static void sweep(StringBuilder out, Report report) {
        out.append("\n## Sweep\n\n");
        out.append("| load | offered | req/s | output tok/s | goodput req/s | good | p99 TTFT ms | p99 TPOT ms "
                + "| p99 E2E ms | SLO |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (StepReport step : report.steps()) {
            StrategyStats all = step.overall();
            row(
                    out,
                    step.label(),
                    Numbers.trim(step.offered()) + " " + step.unit(),
                    Format.rate(all.requestsPerSecond()),
                    Format.rate(all.outputTokensPerSecond()),
                    Format.rate(all.goodput().requestsPerSecond()),
                    Format.percent(all.goodput().attainment()),
                    Format.ms(all.ttft().p99Ms()),
                    Format.ms(all.tpot().p99Ms()),
                    Format.ms(all.e2e().p99Ms()),
                    step.sloMet() ? "met" : "broken");
        }
    }

    private static void row(StringBuilder out, String... cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(Format.cell(cell)).append(" |");
        }
        out.append('\n');
    }
}
