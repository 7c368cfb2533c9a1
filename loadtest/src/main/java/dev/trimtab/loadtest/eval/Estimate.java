package dev.trimtab.loadtest.eval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * A mean over samples and its standard error. Samples of one prompt are correlated, so the error is the
 * cluster-robust one: the standard deviation of the per-prompt means over the square root of the number of prompts
 * (NaN with fewer than two prompts).
 *
 * @param mean the mean over all samples
 * @param stdError the standard error of the mean, by prompt clusters
 */
public record Estimate(double mean, double stdError) {

    public static final Estimate NONE = new Estimate(Double.NaN, Double.NaN);

    /** The estimate of {@code value} over {@code samples}, NaN values left out (NONE when all are). */
    public static Estimate of(List<Sample> samples, ToDoubleFunction<Sample> value) {
        Map<Integer, double[]> byPrompt = new TreeMap<>(); // sum, count
        double sum = 0;
        int count = 0;
        for (Sample sample : samples) {
            double v = value.applyAsDouble(sample);
            if (Double.isNaN(v)) continue;
            sum += v;
            count++;
            double[] cluster = byPrompt.computeIfAbsent(sample.prompt(), p -> new double[2]);
            cluster[0] += v;
            cluster[1]++;
        }
        if (count == 0) return NONE;
        return new Estimate(
                sum / count,
                clusterError(byPrompt.values().stream().map(c -> c[0] / c[1]).toList()));
    }

    private static double clusterError(List<Double> means) {
        int k = means.size();
        if (k < 2) return Double.NaN;
        double mean = means.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double squares =
                means.stream().mapToDouble(m -> (m - mean) * (m - mean)).sum();
        return Math.sqrt(squares / (k - 1)) / Math.sqrt(k);
    }
}
