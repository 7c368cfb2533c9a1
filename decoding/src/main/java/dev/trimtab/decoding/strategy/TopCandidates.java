package dev.trimtab.decoding.strategy;

import java.util.Arrays;

/**
 * The k highest-scoring token ids of a row, best first, ties to the lower id (so that the first
 * candidate is the token greedy decoding takes). Masked ids (-Infinity) are never candidates.
 */
public final class TopCandidates {
    private TopCandidates() {}

    /** Up to {@code k} ids, fewer when fewer are unmasked. O(V·k) worst case, O(V) typical. */
    public static int[] of(float[] logits, int k) {
        int[] ids = new int[k];
        int count = 0;
        for (int id = 0; id < logits.length; id++) {
            float x = logits[id];
            if (x == Float.NEGATIVE_INFINITY || (count == k && x <= logits[ids[k - 1]])) {
                continue;
            }
            int at = count < k ? count++ : k - 1;
            while (at > 0 && logits[ids[at - 1]] < x) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = id;
        }
        return Arrays.copyOf(ids, count);
    }

    /** The ids as longs, for {@link dev.trimtab.decoding.schedule.Row#fork}. */
    public static long[] asTokens(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
