package dev.trimtab.loadtest;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A service-level objective: per-request latency thresholds and the fraction of requests that must meet all of them.
 * A request is <em>good</em> when it succeeded and each of its TTFT, TPOT and E2E is at most its threshold (a TPOT
 * threshold does not apply to single-token answers); goodput is good requests per second (DistServe, vLLM).
 *
 * @param thresholds the bound per metric; empty for no SLO
 * @param attainment the fraction of requests that must be good for a load step to pass, in (0, 1]
 */
public record Slo(Map<SloMetric, Duration> thresholds, double attainment) {

    /** The default attainment: 99% of requests. */
    public static final double DEFAULT_ATTAINMENT = 0.99;

    public Slo {
        EnumMap<SloMetric, Duration> copy = new EnumMap<>(SloMetric.class);
        thresholds.forEach((metric, bound) -> {
            if (bound == null || bound.isNegative() || bound.isZero()) {
                throw new IllegalArgumentException("SLO " + metric.key() + " must be a duration > 0, got " + bound);
            }
            copy.put(metric, bound);
        });
        thresholds = Collections.unmodifiableMap(copy);
        if (!(attainment > 0 && attainment <= 1)) {
            throw new IllegalArgumentException("SLO attainment must be in (0, 1] (e.g. 0.99), got " + attainment);
        }
    }

    /** No thresholds: every successful request is good. */
    public static Slo none() {
        return new Slo(Map.of(), DEFAULT_ATTAINMENT);
    }

    public boolean isSet() {
        return !thresholds.isEmpty();
    }

    /** Whether a request with these latencies (nanoseconds; TPOT negative when undefined) is good. */
    public boolean isMet(long ttftNanos, long tpotNanos, long e2eNanos) {
        return within(SloMetric.TTFT, ttftNanos)
                && (tpotNanos < 0 || within(SloMetric.TPOT, tpotNanos))
                && within(SloMetric.E2E, e2eNanos);
    }

    private boolean within(SloMetric metric, long nanos) {
        Duration bound = thresholds.get(metric);
        return bound == null || nanos <= bound.toNanos();
    }

    /** e.g. {@code ttft <= 500ms, e2e <= 10s for 99% of requests}; {@code none} without thresholds. */
    public String describe() {
        if (!isSet()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        thresholds.forEach((metric, bound) -> text.append(text.isEmpty() ? "" : ", ")
                .append(metric.key())
                .append(" <= ")
                .append(Durations.format(bound)));
        return text + " for " + Numbers.trim(attainment * 100) + "% of requests";
    }
}
