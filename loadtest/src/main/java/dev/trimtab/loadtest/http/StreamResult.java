package dev.trimtab.loadtest.http;

import dev.trimtab.loadtest.Outcome;

/**
 * What one streamed completions request observed, in {@link System#nanoTime()} values.
 *
 * @param sentNanos when sending began
 * @param chunkNanos arrival times of the chunks that carried text
 * @param endNanos when the request ended (stream end, failure or timeout)
 * @param completionTokens the usage report's completion tokens, or -1 if none came
 * @param promptTokens the usage report's prompt tokens, or -1 if none came
 * @param outcome success or the kind of failure
 */
public record StreamResult(
        long sentNanos, long[] chunkNanos, long endNanos, int completionTokens, int promptTokens, Outcome outcome) {

    /** Output tokens: the usage report's count where there is one, else the number of text chunks. */
    public int outputTokens() {
        return completionTokens >= 0 ? completionTokens : chunkNanos.length;
    }
}
