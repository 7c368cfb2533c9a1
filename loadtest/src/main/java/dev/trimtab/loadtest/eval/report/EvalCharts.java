package dev.trimtab.loadtest.eval.report;

import dev.trimtab.loadtest.eval.EvalReport;
import dev.trimtab.loadtest.eval.KlMethod;
import dev.trimtab.loadtest.eval.PointResult;
import dev.trimtab.loadtest.report.ChartFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of an evaluation (XChart): gold positivity against KL, one line per strategy through its strengths
 * from {@code none}, best-of-N's measured KL beside its analytic bound; positivity against cost (forward tokens per
 * generated token, wall time per token relative to {@code none}); and positivity against conciseness over every
 * point with the Pareto front (GenARM weight grids).
 */
public final class EvalCharts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;

    private EvalCharts() {}

    /** Writes every chart into {@code directory}; returns the files written. */
    public static List<Path> write(EvalReport report, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(save(rewardVsKl(report), directory.resolve("reward-vs-kl.png")));
        written.add(save(
                rewardVsCost(
                        report, "forward tokens per generated token, every model", PointResult::forwardTokensPerToken),
                directory.resolve("reward-vs-forward-tokens.png")));
        written.add(save(
                rewardVsCost(report, "wall time per token, × none", PointResult::wallVsNone),
                directory.resolve("reward-vs-wall-time.png")));
        written.add(save(front(report), directory.resolve("positivity-vs-conciseness.png")));
        return written;
    }

    /**
     * Positivity against KL on a logarithmic axis (KLs span from best-of-N's fractions of a nat to extrapolated
     * DeRa's tens), so {@code none} (KL 0) is a horizontal reference line and points whose estimate is not positive
     * are left out; grid lines are left to the front chart.
     */
    static XYChart rewardVsKl(EvalReport report) {
        XYChart chart = chart(
                "Gold positivity vs KL(π‖π_base) per strategy and strength",
                "KL per sequence (nats, log scale)",
                "positivity");
        chart.getStyler().setXAxisLogarithmic(true);
        List<PointResult> measured = new ArrayList<>();
        for (Map.Entry<String, List<PointResult>> line : lines(report, false).entrySet()) {
            List<PointResult> points =
                    line.getValue().stream().filter(p -> p.kl().mean() > 0).toList();
            if (!points.isEmpty()) {
                add(chart, line.getKey(), points, p -> p.kl().mean(), true);
                measured.addAll(points);
            }
        }
        annotateBestOfN(
                chart,
                measured.stream()
                        .filter(p -> p.klMethod() == KlMethod.SELECTION)
                        .toList());
        if (!measured.isEmpty()) {
            noneReference(chart, report.none(), measured);
        }
        placeholderIfEmpty(chart);
        return chart;
    }

    /** best-of-N's bound as a dashed line beside the measured one, each point labelled "N=16: 1.69 ≤ 1.84". */
    private static void annotateBestOfN(XYChart chart, List<PointResult> bestOfN) {
        XYSeries bound = add(chart, "best-of-N analytic bound log N − (N−1)/N", bestOfN, PointResult::klBound, false);
        if (bound == null) return;
        bound.setLineStyle(SeriesLines.DASH_DASH);
        bound.setMarker(SeriesMarkers.DIAMOND);
        for (PointResult p : bestOfN) {
            chart.addAnnotation(new AnnotationText(
                    String.format(Locale.ROOT, "N=%.0f: %.2f ≤ %.2f", p.strength(), p.kl().mean(), p.klBound()),
                    p.klBound(),
                    p.positivity().mean() + 0.03,
                    false));
        }
    }

    /** none's positivity as a dotted horizontal line across the measured KLs: KL 0 has no place on a log axis. */
    private static void noneReference(XYChart chart, PointResult none, List<PointResult> measured) {
        double low = measured.stream()
                .mapToDouble(p -> p.klBound() > 0 ? Math.min(p.kl().mean(), p.klBound()) : p.kl().mean())
                .min()
                .orElseThrow();
        double high = measured.stream().mapToDouble(p -> p.kl().mean()).max().orElseThrow();
        double y = none.positivity().mean();
        XYSeries reference = chart.addSeries("none (KL 0)", new double[] {low, high}, new double[] {y, y});
        reference.setMarker(SeriesMarkers.NONE);
        reference.setLineStyle(SeriesLines.DOT_DOT);
    }

    static XYChart rewardVsCost(EvalReport report, String xTitle, ToDoubleFunction<PointResult> cost) {
        XYChart chart = chart("Gold positivity vs cost per strategy and strength", xTitle, "positivity");
        chart.getStyler().setXAxisLogarithmic(true);
        PointResult none = report.none();
        for (Map.Entry<String, List<PointResult>> line : lines(report, false).entrySet()) {
            List<PointResult> withNone = new ArrayList<>(List.of(none));
            withNone.addAll(line.getValue());
            add(chart, line.getKey(), withNone, cost, true);
        }
        for (Map.Entry<String, List<PointResult>> grid : lines(report, true).entrySet()) {
            scatter(chart, grid.getKey() + " (grid)", grid.getValue(), cost, PointResult::positivity);
        }
        placeholderIfEmpty(chart);
        return chart;
    }

    static XYChart front(EvalReport report) {
        XYChart chart =
                chart("Positivity vs conciseness: every point, and the Pareto front", "positivity", "conciseness");
        Map<String, List<PointResult>> all = new LinkedHashMap<>();
        report.points().forEach(p -> all.computeIfAbsent(p.line(), k -> new ArrayList<>())
                .add(p));
        all.forEach((line, points) ->
                scatter(chart, line, points, p -> p.positivity().mean(), PointResult::conciseness));
        List<PointResult> front = paretoFront(report.points());
        if (front.size() > 1) {
            XYSeries series = chart.addSeries(
                    "Pareto front",
                    front.stream().map(p -> p.positivity().mean()).toList(),
                    front.stream().map(p -> p.conciseness().mean()).toList());
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineStyle(SeriesLines.DASH_DOT);
        }
        for (PointResult p : front) {
            chart.addAnnotation(new AnnotationText(
                    p.label(), p.positivity().mean(), p.conciseness().mean() + 0.01, false));
        }
        placeholderIfEmpty(chart);
        return chart;
    }

    /** The points no other point beats on both positivity and conciseness, by positivity ascending. */
    static List<PointResult> paretoFront(List<PointResult> points) {
        List<PointResult> sorted = points.stream()
                .filter(p -> !Double.isNaN(p.positivity().mean())
                        && !Double.isNaN(p.conciseness().mean()))
                .sorted(Comparator.comparingDouble(
                                (PointResult p) -> -p.positivity().mean())
                        .thenComparingDouble(p -> -p.conciseness().mean()))
                .toList();
        List<PointResult> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (PointResult p : sorted) {
            if (p.conciseness().mean() > best) {
                front.add(p);
                best = p.conciseness().mean();
            }
        }
        return front.reversed();
    }

    /** Non-grid (or grid) points by line, each line's points ordered by strength. */
    private static Map<String, List<PointResult>> lines(EvalReport report, boolean grid) {
        Map<String, List<PointResult>> lines = new LinkedHashMap<>();
        for (PointResult p : report.points()) {
            if (p.grid() == grid && !p.strategy().equals("none")) {
                lines.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(p);
            }
        }
        lines.values().forEach(points -> points.sort(Comparator.comparingDouble(PointResult::strength)));
        return lines;
    }

    private static XYSeries add(
            XYChart chart, String name, List<PointResult> points, ToDoubleFunction<PointResult> x, boolean errorBars) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (PointResult p : points) {
            double value = x.applyAsDouble(p);
            if (Double.isFinite(value) && Double.isFinite(p.positivity().mean())) {
                xs.add(value);
                ys.add(p.positivity().mean());
                errors.add(
                        Double.isFinite(p.positivity().stdError())
                                ? p.positivity().stdError()
                                : 0.0);
            }
        }
        if (xs.isEmpty()) return null;
        XYSeries series = errorBars ? chart.addSeries(name, xs, ys, errors) : chart.addSeries(name, xs, ys);
        series.setMarker(SeriesMarkers.CIRCLE);
        return series;
    }

    private static void scatter(
            XYChart chart,
            String name,
            List<PointResult> points,
            ToDoubleFunction<PointResult> x,
            java.util.function.Function<PointResult, dev.trimtab.loadtest.eval.Estimate> y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (PointResult p : points) {
            double value = x.applyAsDouble(p);
            if (Double.isFinite(value) && Double.isFinite(y.apply(p).mean())) {
                xs.add(value);
                ys.add(y.apply(p).mean());
            }
        }
        if (!xs.isEmpty()) {
            chart.addSeries(name, xs, ys).setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        return ChartFiles.chart(title, xTitle, yTitle, WIDTH, HEIGHT, LegendPosition.OutsideE, 7);
    }

    private static void placeholderIfEmpty(XYChart chart) {
        ChartFiles.placeholderIfEmpty(chart, "nothing measured", 1);
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        return ChartFiles.save(chart, file);
    }
}
