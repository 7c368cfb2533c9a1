package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.Durations;
import dev.trimtab.loadtest.Load;
import dev.trimtab.loadtest.LoadTestConfig;
import dev.trimtab.loadtest.Numbers;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.StepReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the steps of a run into a report: settings, SLO, the maximum sustainable load and a verdict. */
final class ReportAssembler {

    private ReportAssembler() {}

    static Report assemble(LoadTestConfig config, String startedAt, List<StepReport> steps) {
        double max = Double.NaN;
        if (config.slo().isSet()) {
            for (StepReport step : steps) {
                if (step.sloMet()) {
                    max = step.offered();
                }
            }
        }
        Map<String, Double> thresholds = new LinkedHashMap<>();
        config.slo().thresholds().forEach((metric, bound) -> thresholds.put(metric.key(), bound.toNanos() / 1e6));
        return new Report(
                startedAt,
                config.target().describe(),
                config.target().model(),
                config.seed(),
                settings(config),
                thresholds,
                config.slo().attainment(),
                steps,
                max,
                verdict(config, steps));
    }

    private static Map<String, String> settings(LoadTestConfig config) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(
                "load",
                String.join(", ", config.loads().stream().map(Load::label).toList()));
        settings.put(
                "max_in_flight",
                config.maxInFlight() > 0
                        ? Integer.toString(config.maxInFlight())
                        : config.loads().getFirst() instanceof Load.Closed
                                ? "the concurrency"
                                : Integer.toString(LoadTestConfig.DEFAULT_OPEN_LOOP_MAX_IN_FLIGHT));
        settings.put("run_length", config.length().describe());
        settings.put("prompts", config.workload().prompts().describe());
        settings.put("max_tokens", config.workload().maxTokens().spec());
        settings.put("mix", config.workload().mix().describe());
        settings.put("extra_body", config.workload().extraBody().toString());
        settings.put("timeout", Durations.format(config.target().timeout()));
        settings.put("slo", config.slo().describe());
        return settings;
    }

    private static String verdict(LoadTestConfig config, List<StepReport> steps) {
        if (!config.slo().isSet()) {
            return "no SLO given: every load ran, and no maximum sustainable load is judged";
        }
        StepReport last = steps.getLast();
        if (last.sloMet()) {
            return steps.size() == 1
                    ? "SLO met at " + last.label()
                    : "SLO met at every load up to " + last.label() + "; the limit lies above the sweep";
        }
        if (steps.size() == 1) {
            return "SLO broken at " + last.label();
        }
        if (steps.stream().noneMatch(StepReport::sloMet)) {
            return "SLO broken already at the lowest load, " + last.label();
        }
        StepReport best = steps.get(steps.size() - 2);
        return "max sustainable load " + Numbers.trim(best.offered()) + " " + best.unit() + " (" + best.label()
                + "); the SLO broke at " + last.label();
    }
}
