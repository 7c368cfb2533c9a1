package dev.trimtab.decoding.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * How much one {@link Scheduler} admits. Requests beyond the row limit wait in the queue for a later
 * round; one request is always admitted when none runs, whatever its size.
 *
 * @param maxRunningRows base-lane rows running at once (a best-of-N request holds N); in [1, 65536]
 * @param maxPrefillTokens prompt tokens prefilled in one round, bounding the pause that prefills add
 *     to the running requests' next token: prompts that fit in what is left of it are prefilled whole,
 *     a longer one a chunk per round (the oldest first), the others wait; in [1, 16777216]
 */
public record SchedulerSettings(int maxRunningRows, int maxPrefillTokens) {

    /** Default running rows: 256. */
    public static final int DEFAULT_MAX_RUNNING_ROWS = 256;
    /**
     * Default prompt tokens per round: 256. On a GPT-2-small-sized model on two cores, 8 streams
     * among prompts of up to 900 tokens paused at most 0.46 s between two tokens with 256, 0.93 s
     * with 512 and 1.1 s without a budget, at the same throughput; a longer prompt is prefilled
     * over several rounds.
     */
    public static final int DEFAULT_MAX_PREFILL_TOKENS = 256;

    /** The defaults above. */
    public static final SchedulerSettings DEFAULT =
            new SchedulerSettings(DEFAULT_MAX_RUNNING_ROWS, DEFAULT_MAX_PREFILL_TOKENS);
    /** Everything submitted before a round is admitted in it (the batch generator). */
    public static final SchedulerSettings UNLIMITED = new SchedulerSettings(1 << 16, 1 << 24);

    public SchedulerSettings {
        List<String> errors = new ArrayList<>();
        if (maxRunningRows < 1 || maxRunningRows > 1 << 16) {
            errors.add("maxRunningRows must be in [1, 65536], got " + maxRunningRows);
        }
        if (maxPrefillTokens < 1 || maxPrefillTokens > 1 << 24) {
            errors.add("maxPrefillTokens must be in [1, 16777216], got " + maxPrefillTokens);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }
}
