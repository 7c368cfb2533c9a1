package dev.trimtab.loadtest;

import java.util.Map;

/**
 * The figures of one strategy (or of all requests) in one load step. Latencies cover successful requests only.
 *
 * @param strategy the strategy label, or {@code all}
 * @param requests measured requests that ended
 * @param succeeded of which succeeded
 * @param errors failed requests by {@link Outcome#label()}, e.g. {@code http_503 -> 4}
 * @param errorSamples the first detail seen for each error label
 * @param errorSpans for each error label, when its first and last failure ended
 * @param outputTokens completion tokens of the successful requests
 * @param promptTokens prompt tokens the server reported for the successful requests
 * @param requestsPerSecond successful requests per second of the measured phase
 * @param outputTokensPerSecond output tokens per second of the measured phase
 * @param goodput the requests that met the SLO
 * @param ttft time to first token from the scheduled send time
 * @param itl gaps between consecutive text chunks
 * @param tpot time per output token after the first, per request
 * @param e2e end-to-end latency from the scheduled send time
 * @param queue wait in the client's queue before sending (zero unless max in flight was reached)
 */
public record StrategyStats(
        String strategy,
        long requests,
        long succeeded,
        Map<String, Long> errors,
        Map<String, String> errorSamples,
        Map<String, ErrorSpan> errorSpans,
        long outputTokens,
        long promptTokens,
        double requestsPerSecond,
        double outputTokensPerSecond,
        Goodput goodput,
        Latency ttft,
        Latency itl,
        Latency tpot,
        Latency e2e,
        Latency queue) {

    /** The label of the figures over every strategy. */
    public static final String ALL = "all";

    public StrategyStats {
        errors = Map.copyOf(errors);
        errorSamples = Map.copyOf(errorSamples);
        errorSpans = Map.copyOf(errorSpans);
    }

    public long failed() {
        return requests - succeeded;
    }
}
