package dev.trimtab.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.loadtest.Latency;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    @DisplayName(
            "Latencies of 1 to 1000 ms give p50 500, p90 900, p99 990, p99.9 999, max 1000, mean 500.5, within 0.1%")
    void percentiles() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 1000; ms >= 1; ms--) {
            histogram.recordNanos(ms * 1_000_000L);
        }
        Latency latency = histogram.summary();
        assertThat(latency.count()).isEqualTo(1000);
        assertThat(latency.p50Ms()).isCloseTo(500, within(0.5));
        assertThat(latency.p90Ms()).isCloseTo(900, within(0.9));
        assertThat(latency.p99Ms()).isCloseTo(990, within(0.99));
        assertThat(latency.p999Ms()).isCloseTo(999, within(0.999));
        assertThat(latency.maxMs()).isCloseTo(1000, within(1.0));
        assertThat(latency.meanMs()).isCloseTo(500.5, within(0.5));
    }

    @Test
    @DisplayName("The CDF rises to 1 at the largest latency and never falls, thinned to at most 200 points")
    void cdf() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int us = 1; us <= 100_000; us += 7) {
            histogram.recordNanos(us * 1000L);
        }
        double[][] cdf = histogram.summary().cdf();
        assertThat(cdf.length).isBetween(100, 201);
        assertThat(cdf[cdf.length - 1][1]).isEqualTo(1.0);
        assertThat(cdf[cdf.length - 1][0]).isCloseTo(100, within(0.1));
        for (int i = 1; i < cdf.length; i++) {
            assertThat(cdf[i][0]).isGreaterThan(cdf[i - 1][0]);
            assertThat(cdf[i][1]).isGreaterThan(cdf[i - 1][1]);
        }
    }

    @Test
    @DisplayName("Without samples every figure is NaN; sub-microsecond and negative latencies count as zero")
    void edges() {
        assertThat(new LatencyHistogram().summary()).isEqualTo(Latency.EMPTY);
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.recordNanos(-5);
        histogram.recordNanos(400);
        assertThat(histogram.summary().maxMs()).isZero();
    }
}
