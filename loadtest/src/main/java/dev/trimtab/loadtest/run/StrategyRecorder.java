package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.ErrorSpan;
import dev.trimtab.loadtest.Goodput;
import dev.trimtab.loadtest.RequestRecord;
import dev.trimtab.loadtest.Slo;
import dev.trimtab.loadtest.StrategyStats;
import java.util.Map;
import java.util.TreeMap;

/** Accumulates the measured requests of one strategy (or of all) in one load step. */
final class StrategyRecorder {

    private final String strategy;
    private final Slo slo;
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, String> errorSamples = new TreeMap<>();
    private final Map<String, ErrorSpan> errorSpans = new TreeMap<>();
    private final LatencyHistogram ttft = new LatencyHistogram();
    private final LatencyHistogram itl = new LatencyHistogram();
    private final LatencyHistogram tpot = new LatencyHistogram();
    private final LatencyHistogram e2e = new LatencyHistogram();
    private final LatencyHistogram queue = new LatencyHistogram();
    private long requests;
    private long succeeded;
    private long good;
    private long outputTokens;
    private long promptTokens;

    StrategyRecorder(String strategy, Slo slo) {
        this.strategy = strategy;
        this.slo = slo;
    }

    void record(RequestRecord request) {
        requests++;
        if (!request.outcome().isOk()) {
            errors.merge(request.outcome().label(), 1L, Long::sum);
            errorSamples.putIfAbsent(
                    request.outcome().label(), request.outcome().detail());
            double endSeconds = request.endNanos() / 1e9;
            errorSpans.merge(
                    request.outcome().label(),
                    new ErrorSpan(endSeconds, endSeconds),
                    (span, one) -> span.including(one.lastSeconds()));
            return;
        }
        succeeded++;
        outputTokens += request.outputTokens();
        promptTokens += Math.max(0, request.promptTokens());
        recordLatencies(request);
        // No text at all: the first token never came, so the TTFT bound applies to the whole wait.
        long ttftForSlo = request.ttftNanos() >= 0 ? request.ttftNanos() : request.e2eNanos();
        if (slo.isMet(ttftForSlo, request.tpotNanos(), request.e2eNanos())) {
            good++;
        }
    }

    private void recordLatencies(RequestRecord request) {
        if (request.ttftNanos() >= 0) {
            ttft.recordNanos(request.ttftNanos());
        }
        for (long gap : request.itlNanos()) {
            itl.recordNanos(gap);
        }
        if (request.tpotNanos() >= 0) {
            tpot.recordNanos(request.tpotNanos());
        }
        e2e.recordNanos(request.e2eNanos());
        queue.recordNanos(request.queueNanos());
    }

    /** The figures over a measured phase of {@code seconds}. */
    StrategyStats stats(double seconds) {
        return new StrategyStats(
                strategy,
                requests,
                succeeded,
                errors,
                errorSamples,
                errorSpans,
                outputTokens,
                promptTokens,
                perSecond(succeeded, seconds),
                perSecond(outputTokens, seconds),
                new Goodput(good, requests == 0 ? Double.NaN : good / (double) requests, perSecond(good, seconds)),
                ttft.summary(),
                itl.summary(),
                tpot.summary(),
                e2e.summary(),
                queue.summary());
    }

    private static double perSecond(long count, double seconds) {
        return seconds > 0 ? count / seconds : 0;
    }
}
