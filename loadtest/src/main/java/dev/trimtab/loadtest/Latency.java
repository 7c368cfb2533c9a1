package dev.trimtab.loadtest;

/**
 * A latency distribution in milliseconds, summarized from an HdrHistogram with three significant digits (so every
 * figure is within 0.1% of the exact value). Figures are NaN (null in JSON) when there are no samples.
 *
 * @param count number of samples
 * @param cdf points {@code [ms, fraction of samples <= ms]} of the cumulative distribution, for plotting
 */
public record Latency(
        long count,
        double meanMs,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        double[][] cdf) {

    public static final Latency EMPTY =
            new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, new double[0][]);
}
