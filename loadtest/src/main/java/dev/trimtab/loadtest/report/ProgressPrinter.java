package dev.trimtab.loadtest.report;

import dev.trimtab.loadtest.Progress;
import dev.trimtab.loadtest.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints progress to a terminal as one line rewritten in place each second, or, when the output is not a terminal
 * (a log file, CI), as a new line every {@value #LOG_PERIOD_SECONDS} seconds.
 */
public final class ProgressPrinter implements ProgressListener {

    private static final int LOG_PERIOD_SECONDS = 10;

    private final PrintStream out;
    private final boolean terminal;
    private double lastLogged = -LOG_PERIOD_SECONDS;
    private String lastStep = "";

    public ProgressPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onProgress(Progress progress) {
        boolean newStep = !progress.step().equals(lastStep);
        if (newStep) {
            lastLogged = -LOG_PERIOD_SECONDS;
            if (terminal && !lastStep.isEmpty()) {
                out.print('\n');
            }
            lastStep = progress.step();
        }
        if (terminal) {
            out.print("\r" + line(progress) + "   ");
            out.flush();
        } else if (progress.elapsedSeconds() - lastLogged >= LOG_PERIOD_SECONDS) {
            out.println(line(progress));
            lastLogged = progress.elapsedSeconds();
        }
    }

    /** Ends the rewritten line so that what follows starts on a fresh one. */
    public void finish() {
        if (terminal && !lastStep.isEmpty()) {
            out.print('\n');
            out.flush();
        }
    }

    static String line(Progress p) {
        return String.format(
                Locale.ROOT,
                "[%s] %5.1fs%s  scheduled %d  done %d  failed %d  in flight %d  queued %d  |  %.1f req/s  %.0f tok/s",
                p.step(),
                p.elapsedSeconds(),
                p.warmup() ? " (warm-up)" : "",
                p.scheduled(),
                p.completed(),
                p.failed(),
                p.inFlight(),
                p.queued(),
                p.requestsPerSecond(),
                p.outputTokensPerSecond());
    }
}
