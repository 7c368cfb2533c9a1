package dev.trimtab.loadtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The results of one load level.
 *
 * @param label the load, e.g. {@code poisson 8 req/s}
 * @param mode {@code open} or {@code closed}
 * @param offered the offered load: the rate or the concurrency
 * @param unit {@code req/s} or {@code clients}
 * @param measuredSeconds from the first measured request's scheduled time to the last one's end
 * @param sloMet whether the share of good requests reached the SLO's attainment (without thresholds every successful
 *     request is good, so this says whether that share of requests succeeded)
 * @param overall the figures over all strategies
 * @param strategies the figures per strategy, in mix order
 * @param warmupRequests warm-up requests sent and not recorded
 * @param requests every request's timeline, when the run was asked to keep them; not written to the JSON report
 * @param originNanoTime {@link System#nanoTime()} at the step's start, the zero of the request timelines, to line them
 *     up with other clocks of the same process; not written to the JSON report
 */
public record StepReport(
        String label,
        String mode,
        double offered,
        String unit,
        double measuredSeconds,
        boolean sloMet,
        StrategyStats overall,
        List<StrategyStats> strategies,
        long warmupRequests,
        @JsonIgnore List<RequestRecord> requests,
        @JsonIgnore long originNanoTime) {

    public StepReport {
        strategies = List.copyOf(strategies);
        requests = List.copyOf(requests);
    }
}
