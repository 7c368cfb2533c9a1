package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;

/** Independent percentile arithmetic for checking reports: nearest rank over the sorted samples. */
final class Percentiles {

    /** HdrHistogram with three significant digits: within 0.1%, plus the microsecond of rounding. */
    private static final double RELATIVE = 1e-3;

    private Percentiles() {}

    /** The nearest-rank percentile: the smallest sample with at least {@code q} of the samples at or below it. */
    static long nearestRank(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static void assertMatches(Latency latency, LongStream nanos) {
        long[] sorted = nanos.sorted().toArray();
        assertThat(latency.count()).isEqualTo(sorted.length);
        assertClose("p50", latency.p50Ms(), nearestRank(sorted, 0.50));
        assertClose("p90", latency.p90Ms(), nearestRank(sorted, 0.90));
        assertClose("p99", latency.p99Ms(), nearestRank(sorted, 0.99));
        assertClose("p99.9", latency.p999Ms(), nearestRank(sorted, 0.999));
        assertClose("max", latency.maxMs(), sorted[sorted.length - 1]);
        assertClose("mean", latency.meanMs(), LongStream.of(sorted).sum() / (double) sorted.length);
    }

    private static void assertClose(String what, double actualMs, double expectedNanos) {
        double expectedMs = expectedNanos / 1e6;
        assertThat(actualMs).as(what).isCloseTo(expectedMs, within(expectedMs * RELATIVE + 0.002));
    }
}
