package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.Latency;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** An HdrHistogram of latencies in microseconds, three significant digits, up to an hour. */
final class LatencyHistogram {

    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int MAX_CDF_POINTS = 200;

    private final Histogram histogram = new Histogram(HIGHEST_MICROS, 3);

    /** Records a latency, clamped to [0, 1 h]. */
    void recordNanos(long nanos) {
        histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, Math.round(nanos / 1e3))));
    }

    Latency summary() {
        long count = histogram.getTotalCount();
        if (count == 0) {
            return Latency.EMPTY;
        }
        return new Latency(
                count,
                histogram.getMean() / 1e3,
                percentileMs(50),
                percentileMs(90),
                percentileMs(99),
                percentileMs(99.9),
                histogram.getMaxValue() / 1e3,
                cdf(count));
    }

    private double percentileMs(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e3;
    }

    /** One point per distinct recorded value (thinned to at most {@value #MAX_CDF_POINTS}), ending at fraction 1. */
    private double[][] cdf(long count) {
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue value : histogram.recordedValues()) {
            points.add(new double[] {
                histogram.highestEquivalentValue(value.getValueIteratedTo()) / 1e3,
                value.getTotalCountToThisValue() / (double) count
            });
        }
        int step = (points.size() + MAX_CDF_POINTS - 1) / MAX_CDF_POINTS;
        List<double[]> thinned = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (i % step == 0 || i == points.size() - 1) {
                thinned.add(points.get(i));
            }
        }
        return thinned.toArray(double[][]::new);
    }
}
