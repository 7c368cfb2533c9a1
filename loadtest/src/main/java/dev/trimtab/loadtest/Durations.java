package dev.trimtab.loadtest;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written on the command line: {@code 250ms}, {@code 30s}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private Durations() {}

    /** Parses a number with a unit (ms, s, m or h); {@code what} names the field in the error. */
    public static Duration parse(String what, String text) {
        Matcher matcher = SYNTAX.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    what + " must be a number with a unit (ms, s, m or h), e.g. 500ms or 30s, got '" + text + "'");
        }
        double value = Double.parseDouble(matcher.group(1));
        double nanosPerUnit =
                switch (matcher.group(2)) {
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                };
        double nanos = value * nanosPerUnit;
        if (nanos > 365 * 24 * 3600e9) {
            throw new IllegalArgumentException(what + " must be at most a year, got '" + text + "'");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** {@code 500ms}, {@code 30s}, {@code 1.5s}: milliseconds below a second, seconds above. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return Numbers.trim(duration.toNanos() / 1e6) + "ms";
        }
        return Numbers.trim(millis / 1000.0) + "s";
    }
}
