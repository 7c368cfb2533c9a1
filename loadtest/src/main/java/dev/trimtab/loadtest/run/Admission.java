package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.RunLength;

/**
 * Decides, in scheduling order, whether each scheduled request is warm-up, measured, or past the end of the run.
 * Once it says {@link Verdict#STOP} it says so for good.
 */
final class Admission {

    enum Verdict {
        WARMUP,
        MEASURED,
        STOP
    }

    private final RunLength length;
    private final long originNanos;
    private long issued;
    private long measured;
    private long measureStartNanos = -1;
    private boolean stopped;

    Admission(RunLength length, long originNanos) {
        this.length = length;
        this.originNanos = originNanos;
    }

    /** The verdict for a request scheduled at {@code scheduledNanos} (System.nanoTime). */
    Verdict admit(long scheduledNanos) {
        if (stopped) {
            return Verdict.STOP;
        }
        if (issued < length.warmupRequests()
                || scheduledNanos - originNanos < length.warmup().toNanos()) {
            issued++;
            return Verdict.WARMUP;
        }
        if (measureStartNanos < 0) {
            measureStartNanos = scheduledNanos;
        }
        if (measuredPhaseOver(scheduledNanos)) {
            stopped = true;
            return Verdict.STOP;
        }
        issued++;
        measured++;
        return Verdict.MEASURED;
    }

    private boolean measuredPhaseOver(long scheduledNanos) {
        boolean countReached = length.requests() > 0 && measured >= length.requests();
        boolean timeUp = !length.duration().isZero()
                && scheduledNanos - measureStartNanos >= length.duration().toNanos();
        return countReached || timeUp;
    }

    boolean inWarmup() {
        return measureStartNanos < 0 && !stopped;
    }

    /** The scheduled time of the first measured request, or -1 before there is one. */
    long measureStartNanos() {
        return measureStartNanos;
    }
}
