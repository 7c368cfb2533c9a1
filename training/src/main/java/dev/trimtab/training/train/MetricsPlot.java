package dev.trimtab.training.train;

import dev.trimtab.decoding.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Plots a run's metrics to a PNG: one chart per metric against the step, the training curve as a
 * line and held-out evaluations as markers.
 */
public final class MetricsPlot {
    private static final int WIDTH = 480;
    private static final int HEIGHT = 320;
    private static final Set<String> NOT_PLOTTED = Set.of("step", "split", "tokens");

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private MetricsPlot() {}

    /** Writes the charts of {@code records} to {@code png}; does nothing when there is nothing to plot. */
    public static void write(String title, List<Map<String, Object>> records, Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (String metric : metrics(records)) {
            charts.add(chart(title, metric, records));
        }
        if (charts.isEmpty()) {
            return;
        }
        BufferedImage grid = grid(charts);
        AtomicFiles.write(png, out -> ImageIO.write(grid, "png", out));
    }

    /** The charts side by side, three to a row, on a white background. */
    private static BufferedImage grid(List<XYChart> charts) {
        int columns = Math.min(3, charts.size());
        int rows = (charts.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            graphics.drawImage(
                    BitmapEncoder.getBufferedImage(charts.get(i)), i % columns * WIDTH, i / columns * HEIGHT, null);
        }
        graphics.dispose();
        return image;
    }

    private static Set<String> metrics(List<Map<String, Object>> records) {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> record : records) {
            record.forEach((name, value) -> {
                if (value instanceof Number && !NOT_PLOTTED.contains(name)) {
                    names.add(name);
                }
            });
        }
        return names;
    }

    private static XYChart chart(String title, String metric, List<Map<String, Object>> records) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title + ": " + metric)
                .xAxisTitle("step")
                .yAxisTitle(metric)
                .build();
        chart.getStyler().setMarkerSize(4);
        addSeries(chart, "train", metric, records, XYSeries.XYSeriesRenderStyle.Line);
        addSeries(chart, "heldout", metric, records, XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    private static void addSeries(
            XYChart chart,
            String split,
            String metric,
            List<Map<String, Object>> records,
            XYSeries.XYSeriesRenderStyle style) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Object> record : records) {
            if (split.equals(record.get("split"))
                    && record.get(metric) instanceof Number value
                    && record.get("step") instanceof Number step
                    && Double.isFinite(value.doubleValue())) {
                x.add(step.doubleValue());
                y.add(value.doubleValue());
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(split, x, y).setXYSeriesRenderStyle(style);
        }
    }
}
