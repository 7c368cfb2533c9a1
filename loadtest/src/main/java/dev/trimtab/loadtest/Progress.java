package dev.trimtab.loadtest;

/**
 * A snapshot of a running load step, delivered about once a second.
 *
 * @param step the load label
 * @param elapsedSeconds since the step started
 * @param scheduled requests scheduled so far, warm-up included
 * @param completed requests ended so far, warm-up included
 * @param failed of which failed
 * @param inFlight requests sent and not yet ended
 * @param queued requests scheduled and waiting for a free slot (max in flight)
 * @param requestsPerSecond successful measured requests per second so far
 * @param outputTokensPerSecond measured output tokens per second so far
 * @param warmup whether the step is still in its warm-up
 */
public record Progress(
        String step,
        double elapsedSeconds,
        long scheduled,
        long completed,
        long failed,
        int inFlight,
        int queued,
        double requestsPerSecond,
        double outputTokensPerSecond,
        boolean warmup) {}
