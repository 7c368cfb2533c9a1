package dev.trimtab.loadtest;

import java.util.List;
import java.util.Map;

/**
 * The result of a load test: one step per load level (several for a sweep).
 *
 * @param startedAt ISO-8601 start time
 * @param target the URL requests went to
 * @param model the model asked for
 * @param seed the seed that replays the same requests and arrivals
 * @param settings the configuration as readable lines (load, workload, run length, SLO)
 * @param sloThresholdsMs the SLO thresholds in milliseconds by metric; empty for no SLO
 * @param sloAttainment the SLO's required share of good requests
 * @param steps the load steps in the order they ran; a sweep stops after the first that breaks the SLO
 * @param maxSustainableLoad the highest offered load whose step met the SLO; NaN (null in JSON) when none did or no
 *     SLO is set
 * @param verdict one sentence on the sweep's outcome
 */
public record Report(
        String startedAt,
        String target,
        String model,
        long seed,
        Map<String, String> settings,
        Map<String, Double> sloThresholdsMs,
        double sloAttainment,
        List<StepReport> steps,
        double maxSustainableLoad,
        String verdict) {

    public Report {
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        sloThresholdsMs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sloThresholdsMs));
        steps = List.copyOf(steps);
    }

    /** The step the headline figures come from: the highest load that met the SLO, else the last step run. */
    public StepReport headline() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!Double.isNaN(maxSustainableLoad) && steps.get(i).offered() == maxSustainableLoad) {
                return steps.get(i);
            }
        }
        return steps.getLast();
    }

    /** Every step's measured requests that succeeded, summed. */
    public long succeeded() {
        return steps.stream().mapToLong(step -> step.overall().succeeded()).sum();
    }
}
