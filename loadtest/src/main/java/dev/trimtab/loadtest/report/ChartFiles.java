package dev.trimtab.loadtest.report;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/** What every PNG chart of the reports shares: off-screen rendering, the chart's frame, the empty case, the file. */
public final class ChartFiles {

    static {
        // Charts render off screen; without a display AWT must not try to open one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ChartFiles() {}

    /** An empty XY chart of {@code width} x {@code height} pixels with its titles, legend and marker size. */
    public static XYChart chart(
            String title, String xTitle, String yTitle, int width, int height, LegendPosition legend, int markerSize) {
        XYChart chart = new XYChartBuilder()
                .width(width)
                .height(height)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendPosition(legend).setMarkerSize(markerSize);
        return chart;
    }

    /**
     * XChart cannot draw a chart without series: a chart with none says {@code note} in its title and
     * gets one point at ({@code x}, 0).
     */
    public static void placeholderIfEmpty(XYChart chart, String note, double x) {
        if (chart.getSeriesMap().isEmpty()) {
            chart.setTitle(chart.getTitle() + " (" + note + ")");
            chart.addSeries("no data", new double[] {x}, new double[] {0});
        }
    }

    /** Writes {@code chart} as a PNG, atomically; returns {@code file}. */
    public static Path save(XYChart chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
        return file;
    }
}
