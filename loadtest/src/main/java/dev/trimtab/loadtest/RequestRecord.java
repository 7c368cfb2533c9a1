package dev.trimtab.loadtest;

/**
 * The timeline of one request. Times are nanoseconds from the start of its load step; latencies are measured from
 * {@code scheduledNanos}, the time the load model meant to send it, not from {@code sentNanos}, so that time spent
 * waiting for a free slot (coordinated omission) counts.
 *
 * @param index its number in issue order within the step, warm-up included
 * @param strategy the strategy label it was sent with
 * @param warmup whether it belongs to the warm-up (not recorded in the figures)
 * @param maxTokens the max_tokens asked for
 * @param scheduledNanos when the load model scheduled it
 * @param sentNanos when the client began sending it
 * @param chunkNanos arrival times of the stream chunks that carried text (first is the first token); do not modify
 * @param endNanos when the request ended: the stream's end, the failure or the timeout
 * @param outputTokens completion tokens: the server's usage report, else the number of text chunks
 * @param promptTokens prompt tokens from the usage report, or -1 if none came
 * @param outcome success or the kind of failure
 */
public record RequestRecord(
        long index,
        String strategy,
        boolean warmup,
        int maxTokens,
        long scheduledNanos,
        long sentNanos,
        long[] chunkNanos,
        long endNanos,
        int outputTokens,
        int promptTokens,
        Outcome outcome) {

    /** Time to first token from the scheduled time, or -1 when no text arrived. */
    public long ttftNanos() {
        return chunkNanos.length == 0 ? -1 : chunkNanos[0] - scheduledNanos;
    }

    /** End-to-end latency from the scheduled time. */
    public long e2eNanos() {
        return endNanos - scheduledNanos;
    }

    /** Time spent in the client's queue before sending: the part of the latency a closed-loop tester would omit. */
    public long queueNanos() {
        return sentNanos - scheduledNanos;
    }

    /** Latency as an uncorrected tester would report it, from the actual send. */
    public long serviceNanos() {
        return endNanos - sentNanos;
    }

    /**
     * Time per output token after the first, {@code (E2E - TTFT) / (outputTokens - 1)} (vLLM's definition), or -1
     * when fewer than two tokens came.
     */
    public long tpotNanos() {
        return outputTokens < 2 || chunkNanos.length == 0 ? -1 : (endNanos - chunkNanos[0]) / (outputTokens - 1);
    }

    /** The gaps between consecutive text chunks: the inter-token latencies. */
    public long[] itlNanos() {
        long[] gaps = new long[Math.max(0, chunkNanos.length - 1)];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = chunkNanos[i + 1] - chunkNanos[i];
        }
        return gaps;
    }
}
