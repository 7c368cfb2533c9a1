package dev.trimtab.loadtest;

/**
 * When the failures of one kind happened within a load step: the first and the last one's end, in seconds from the
 * step's start. Where errors come in a burst (a replica lost), the last says when they stopped.
 *
 * @param firstSeconds the end of the first failed request
 * @param lastSeconds the end of the last failed request
 */
public record ErrorSpan(double firstSeconds, double lastSeconds) {

    /** This span widened to include a failure that ended at {@code seconds}. */
    public ErrorSpan including(double seconds) {
        return new ErrorSpan(Math.min(firstSeconds, seconds), Math.max(lastSeconds, seconds));
    }
}
