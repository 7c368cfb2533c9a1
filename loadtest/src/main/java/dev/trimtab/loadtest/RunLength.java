package dev.trimtab.loadtest;

import java.time.Duration;

/**
 * How long each load step runs. Requests scheduled during the warm-up (the first {@code warmupRequests} requests, and
 * any scheduled within {@code warmup} of the start) are sent but not recorded. The measured phase then ends at
 * whichever comes first: {@code duration} after its first scheduled request, or {@code requests} requests; requests
 * still in flight then run to completion and count.
 *
 * @param warmup time from the start during which requests are warm-up; zero for none
 * @param warmupRequests number of requests at the start that are warm-up; zero for none
 * @param duration length of the measured phase; zero for no time limit
 * @param requests number of measured requests; zero for no count limit
 */
public record RunLength(Duration warmup, long warmupRequests, Duration duration, long requests) {

    public RunLength {
        requireNonNegative("warmup", warmup);
        requireNonNegative("duration", duration);
        if (warmupRequests < 0) {
            throw new IllegalArgumentException("warmupRequests must be >= 0, got " + warmupRequests);
        }
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, got " + requests);
        }
        if (duration.isZero() && requests == 0) {
            throw new IllegalArgumentException("a run needs a duration or a request count, got neither");
        }
    }

    /** {@code requests} measured requests, no warm-up, no time limit. */
    public static RunLength requests(long requests) {
        return new RunLength(Duration.ZERO, 0, Duration.ZERO, requests);
    }

    /** A measured phase of {@code duration}, no warm-up, no count limit. */
    public static RunLength duration(Duration duration) {
        return new RunLength(Duration.ZERO, 0, duration, 0);
    }

    public RunLength withWarmup(Duration newWarmup, long newWarmupRequests) {
        return new RunLength(newWarmup, newWarmupRequests, duration, requests);
    }

    /** e.g. {@code 60s or 500 requests, warm-up 5s}. */
    public String describe() {
        String measured = duration.isZero()
                ? requests + " requests"
                : requests == 0
                        ? Durations.format(duration)
                        : Durations.format(duration) + " or " + requests + " requests";
        boolean noWarmup = warmup.isZero() && warmupRequests == 0;
        return noWarmup ? measured : measured + ", warm-up " + describeWarmup();
    }

    private String describeWarmup() {
        if (warmupRequests == 0) {
            return Durations.format(warmup);
        }
        return warmup.isZero()
                ? warmupRequests + " requests"
                : Durations.format(warmup) + " and " + warmupRequests + " requests";
    }

    private static void requireNonNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be a duration >= 0, got " + value);
        }
    }
}
