package dev.trimtab.loadtest.report;

import dev.trimtab.loadtest.Latency;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.StepReport;
import dev.trimtab.loadtest.StrategyStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts with XChart: the latency CDFs per strategy of the headline step (TTFT, TPOT, E2E), and for a sweep the
 * throughput and the p99 latencies against the offered load.
 */
public final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private Charts() {}

    /** Writes every chart the report supports into {@code directory}; returns the files written. */
    public static List<Path> write(Report report, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        StepReport headline = report.headline();
        written.add(save(cdf(headline, "TTFT", StrategyStats::ttft), directory.resolve("cdf-ttft.png")));
        written.add(save(cdf(headline, "TPOT", StrategyStats::tpot), directory.resolve("cdf-tpot.png")));
        written.add(save(cdf(headline, "E2E", StrategyStats::e2e), directory.resolve("cdf-e2e.png")));
        if (report.steps().size() > 1) {
            written.add(save(throughput(report), directory.resolve("sweep-throughput.png")));
            written.add(save(p99(report), directory.resolve("sweep-p99.png")));
        }
        return written;
    }

    static XYChart cdf(StepReport step, String metric, Function<StrategyStats, Latency> latency) {
        XYChart chart = chart(metric + " CDF per strategy, " + step.label(), metric + " (ms)", "fraction of requests");
        chart.getStyler()
                .setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Step)
                .setLegendPosition(LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        List<StrategyStats> rows = new ArrayList<>(List.of(step.overall()));
        if (step.strategies().size() > 1) {
            rows.addAll(step.strategies());
        }
        for (StrategyStats stats : rows) {
            double[][] points = latency.apply(stats).cdf();
            if (points.length > 0) {
                line(
                        chart,
                        stats.strategy() + " (n=" + latency.apply(stats).count() + ")",
                        column(points, 0),
                        column(points, 1));
            }
        }
        placeholderIfEmpty(chart);
        return chart;
    }

    static XYChart throughput(Report report) {
        StepReport first = report.steps().getFirst();
        XYChart chart = chart("Throughput vs offered load", "offered load (" + first.unit() + ")", "requests/s");
        double[] offered = series(report, StepReport::offered);
        line(chart, "achieved", offered, series(report, step -> step.overall().requestsPerSecond()));
        line(chart, "goodput (within SLO)", offered, series(report, step -> step.overall()
                .goodput()
                .requestsPerSecond()));
        if (first.mode().equals("open")) {
            line(chart, "offered", offered, offered);
        }
        return chart;
    }

    static XYChart p99(Report report) {
        XYChart chart = chart(
                "p99 latency vs offered load",
                "offered load (" + report.steps().getFirst().unit() + ")",
                "p99 latency (ms)");
        double[] offered = series(report, StepReport::offered);
        line(chart, "p99 TTFT", offered, series(report, step -> step.overall()
                .ttft()
                .p99Ms()));
        line(chart, "p99 E2E", offered, series(report, step -> step.overall()
                .e2e()
                .p99Ms()));
        line(chart, "p99 TPOT", offered, series(report, step -> step.overall()
                .tpot()
                .p99Ms()));
        report.sloThresholdsMs()
                .forEach((metric, bound) -> line(chart, "SLO " + metric, offered, constant(offered.length, bound)));
        return chart;
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        return ChartFiles.chart(title, xTitle, yTitle, WIDTH, HEIGHT, LegendPosition.InsideNW, 6);
    }

    private static void line(XYChart chart, String name, double[] x, double[] y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (!xs.isEmpty()) {
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setMarker(xs.size() > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
    }

    private static void placeholderIfEmpty(XYChart chart) {
        ChartFiles.placeholderIfEmpty(chart, "no successful requests", 0);
    }

    private static double[] series(Report report, ToDoubleFunction<StepReport> figure) {
        return report.steps().stream().mapToDouble(figure).toArray();
    }

    private static double[] column(double[][] points, int index) {
        double[] values = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            values[i] = points[i][index];
        }
        return values;
    }

    private static double[] constant(int length, double value) {
        double[] values = new double[length];
        java.util.Arrays.fill(values, value);
        return values;
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        return ChartFiles.save(chart, file);
    }
}
