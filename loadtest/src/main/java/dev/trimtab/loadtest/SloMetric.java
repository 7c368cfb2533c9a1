package dev.trimtab.loadtest;

/** The per-request figures a service-level objective can bound (the same three as vLLM's goodput). */
public enum SloMetric {
    /** Time to first token, from the scheduled send time. */
    TTFT,
    /** Time per output token after the first: (E2E - TTFT) / (output tokens - 1). */
    TPOT,
    /** End-to-end latency, from the scheduled send time to the end of the stream. */
    E2E;

    /** The lowercase name used on the command line and in reports. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code ttft}, {@code tpot} or {@code e2e}. */
    public static SloMetric parse(String key) {
        for (SloMetric metric : values()) {
            if (metric.key().equals(key.strip())) {
                return metric;
            }
        }
        throw new IllegalArgumentException("SLO metric must be ttft, tpot or e2e, got '" + key + "'");
    }
}
