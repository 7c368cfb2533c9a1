package dev.trimtab.loadtest.eval.report;

import dev.trimtab.loadtest.eval.EvalProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for a sweep: one line rewritten in place on a terminal, or a new line every
 * {@value #LOG_PERIOD_SECONDS} seconds into a log. Shows the requests done, the elapsed time, an estimate of the time
 * left and the point just answered.
 */
public final class ProgressBar implements EvalProgress {
    private static final int WIDTH = 30;
    private static final int LOG_PERIOD_SECONDS = 15;

    private final PrintStream out;
    private final boolean terminal;
    private double lastLogged = -LOG_PERIOD_SECONDS;
    private boolean printed;

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onRequest(int done, int total, String point, double elapsedSeconds) {
        if (terminal) {
            out.print("\r" + line(done, total, point, elapsedSeconds) + "\u001b[K");
            out.flush();
            printed = true;
        } else if (elapsedSeconds - lastLogged >= LOG_PERIOD_SECONDS || done == total) {
            out.println(line(done, total, point, elapsedSeconds));
            lastLogged = elapsedSeconds;
        }
    }

    /** Ends the rewritten line. */
    public void finish() {
        if (terminal && printed) {
            out.println();
        }
    }

    static String line(int done, int total, String point, double elapsedSeconds) {
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * WIDTH);
        double left = done == 0 ? Double.NaN : elapsedSeconds / done * (total - done);
        return String.format(
                Locale.ROOT,
                "[%s%s] %3.0f%% %d/%d requests  %s elapsed  %s left  %s",
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                100 * fraction,
                done,
                total,
                clock(elapsedSeconds),
                Double.isNaN(left) ? "?" : clock(left),
                point);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
