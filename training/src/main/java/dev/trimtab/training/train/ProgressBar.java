package dev.trimtab.training.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display: {@code label [=====     ] step/total loss tok/s ETA}. On a terminal
 * it redraws in place at most 5 times a second; otherwise it prints a line every tenth of the run.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    /** How progress is shown. */
    public enum Mode {
        /** Redraws one line in place. */
        BAR,
        /** Prints a line at every tenth of the run. */
        LINES,
        /** Prints nothing. */
        NONE;

        /** {@link #BAR} when a terminal is attached, {@link #LINES} otherwise. */
        public static Mode auto() {
            String term = System.getenv("TERM");
            boolean terminal = System.console() != null && term != null && !term.equals("dumb");
            return terminal ? BAR : LINES;
        }
    }

    private final String label;
    private final int total;
    private final int start;
    private final PrintStream out;
    private final Mode mode;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;

    /** @param start the step the run starts (or resumes) at */
    public ProgressBar(String label, int total, int start, PrintStream out, Mode mode) {
        this.label = label;
        this.total = total;
        this.start = start;
        this.out = out;
        this.mode = mode;
    }

    /** Shows that {@code done} steps of {@code total} are finished, with the loss and throughput. */
    public void update(int done, double loss, double tokensPerSecond) {
        update(done, String.format(Locale.ROOT, "loss %.4f  %s tok/s", loss, compact(tokensPerSecond)));
    }

    /** Shows that {@code done} steps of {@code total} are finished, with free-form details. */
    public void update(int done, String details) {
        long now = System.nanoTime();
        int tenth = done * 10 / Math.max(total, 1);
        if (mode == Mode.BAR && (now - lastDraw >= REDRAW_NANOS || done == total)) {
            lastDraw = now;
            out.print("\r" + line(done, details, now) + "  ");
            out.flush();
        } else if (mode == Mode.LINES && tenth != lastTenth) {
            lastTenth = tenth;
            out.println(line(done, details, now));
        }
    }

    /** Ends the display with a summary line. */
    public void finish(String summary) {
        if (mode == Mode.BAR) {
            out.println();
        }
        if (mode != Mode.NONE) {
            out.println(label + ": " + summary);
        }
    }

    String line(int done, String details, long now) {
        int filled = (int) ((long) WIDTH * done / Math.max(total, 1));
        String bar = "=".repeat(filled) + " ".repeat(WIDTH - filled);
        double elapsed = (now - startNanos) / 1e9;
        double eta = done > start ? elapsed / (done - start) * (total - done) : Double.NaN;
        return String.format(
                Locale.ROOT, "%-22s [%s] %5d/%d  %s  ETA %s", label, bar, done, total, details, clock(eta));
    }

    static String compact(double value) {
        return value >= 1000
                ? String.format(Locale.ROOT, "%.1fk", value / 1000)
                : String.format(Locale.ROOT, "%.0f", value);
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
