package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.Load;
import dev.trimtab.loadtest.Progress;
import dev.trimtab.loadtest.RequestRecord;
import dev.trimtab.loadtest.Slo;
import dev.trimtab.loadtest.StepReport;
import dev.trimtab.loadtest.StrategyStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the requests of one load step, on its event loop, into per-strategy figures. */
final class StepRecorder {

    private final Load load;
    private final Slo slo;
    private final boolean keepRequests;
    private final StrategyRecorder overall;
    private final Map<String, StrategyRecorder> byStrategy = new LinkedHashMap<>();
    private final List<RequestRecord> kept = new ArrayList<>();
    private long completed;
    private long failed;
    private long warmups;
    private long measuredSucceeded;
    private long measuredTokens;
    private long lastMeasuredEnd = Long.MIN_VALUE;

    StepRecorder(Load load, Slo slo, List<String> strategies, boolean keepRequests) {
        this.load = load;
        this.slo = slo;
        this.keepRequests = keepRequests;
        this.overall = new StrategyRecorder(StrategyStats.ALL, slo);
        strategies.forEach(name -> byStrategy.put(name, new StrategyRecorder(name, slo)));
    }

    void record(RequestRecord request) {
        completed++;
        if (!request.outcome().isOk()) {
            failed++;
        }
        if (keepRequests) {
            kept.add(request);
        }
        if (request.warmup()) {
            warmups++;
            return;
        }
        overall.record(request);
        byStrategy
                .computeIfAbsent(request.strategy(), name -> new StrategyRecorder(name, slo))
                .record(request);
        lastMeasuredEnd = Math.max(lastMeasuredEnd, request.endNanos());
        if (request.outcome().isOk()) {
            measuredSucceeded++;
            measuredTokens += request.outputTokens();
        }
    }

    Progress progress(
            double elapsedSeconds, double measuredSeconds, long scheduled, int inFlight, int queued, boolean warmup) {
        double seconds = Math.max(measuredSeconds, 1e-9);
        return new Progress(
                load.label(),
                elapsedSeconds,
                scheduled,
                completed,
                failed,
                inFlight,
                queued,
                measuredSeconds > 0 ? measuredSucceeded / seconds : 0,
                measuredSeconds > 0 ? measuredTokens / seconds : 0,
                warmup);
    }

    /** The step's report; {@code measureStartNanos} is the first measured request's scheduled time (from origin). */
    StepReport report(long measureStartNanos, long originNanoTime) {
        double seconds = lastMeasuredEnd == Long.MIN_VALUE || measureStartNanos < 0
                ? 0
                : (lastMeasuredEnd - measureStartNanos) / 1e9;
        StrategyStats all = overall.stats(seconds);
        List<StrategyStats> strategies =
                byStrategy.values().stream().map(r -> r.stats(seconds)).toList();
        boolean met = all.succeeded() > 0 && all.goodput().attainment() >= slo.attainment();
        return new StepReport(
                load.label(),
                load instanceof Load.Open ? "open" : "closed",
                load.offered(),
                load.unit(),
                seconds,
                met,
                all,
                strategies,
                warmups,
                kept,
                originNanoTime);
    }
}
