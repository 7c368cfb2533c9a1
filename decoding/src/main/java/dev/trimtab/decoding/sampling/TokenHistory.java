package dev.trimtab.decoding.sampling;

import java.util.Arrays;

/**
 * The token ids one row has seen so far, prompt and generated, with O(1) membership.
 *
 * <p>Membership is a bitset indexed by token id that grows on demand; the distinct ids are also
 * kept in first-seen order so that {@link RepetitionPenalty} visits only them instead of the whole
 * vocabulary. Owned by one row and not thread-safe.
 */
public final class TokenHistory {

    /**
     * Largest token id accepted. Real vocabularies stay below 300k; the cap bounds the bitset at 2
     * MiB however corrupt an id is.
     */
    public static final int MAX_TOKEN_ID = (1 << 24) - 1;

    private long[] seen;
    private int[] distinct;
    private int distinctCount;
    private int size;
    private long last = -1;

    /** An empty history for a vocabulary of unknown size. */
    public TokenHistory() {
        this(1024);
    }

    /** An empty history whose bitset is presized for {@code vocabularySize} ids. */
    public TokenHistory(int vocabularySize) {
        if (vocabularySize < 0 || vocabularySize > MAX_TOKEN_ID + 1) {
            throw new IllegalArgumentException(
                    "vocabularySize must be in [0, " + (MAX_TOKEN_ID + 1) + "], got " + vocabularySize);
        }
        seen = new long[(vocabularySize + 63) >>> 6];
        distinct = new int[16];
    }

    /** A history holding {@code ids} in order, e.g. a prompt. */
    public static TokenHistory of(long... ids) {
        TokenHistory history = new TokenHistory();
        history.addAll(ids);
        return history;
    }

    /** Records one token id. */
    public void add(long id) {
        if (id < 0 || id > MAX_TOKEN_ID) {
            throw new IllegalArgumentException("token id must be in [0, " + MAX_TOKEN_ID + "], got " + id);
        }
        markSeen((int) id);
        last = id;
        size++;
    }

    /** Records {@code ids} in order. */
    public void addAll(long... ids) {
        for (long id : ids) {
            add(id);
        }
    }

    /** Whether {@code id} has been recorded; false for ids never seen, negative ones included. */
    public boolean contains(int id) {
        int word = id >>> 6;
        return id >= 0 && word < seen.length && (seen[word] & (1L << id)) != 0;
    }

    /** How many ids were recorded, repeats included. */
    public int size() {
        return size;
    }

    /** The id recorded last. */
    public long last() {
        if (size == 0) {
            throw new IllegalStateException("history is empty: last() needs at least one recorded token");
        }
        return last;
    }

    /** How many distinct ids were recorded. */
    public int distinctCount() {
        return distinctCount;
    }

    /** The {@code index}-th distinct id in first-seen order, {@code index} in [0, distinctCount()). */
    public int distinctId(int index) {
        if (index < 0 || index >= distinctCount) {
            throw new IndexOutOfBoundsException("index must be in [0, " + distinctCount + "), got " + index);
        }
        return distinct[index];
    }

    /** An independent copy, e.g. for a beam that forks. */
    public TokenHistory copy() {
        TokenHistory copy = new TokenHistory(0);
        copy.seen = seen.clone();
        copy.distinct = Arrays.copyOf(distinct, Math.max(distinctCount, 16));
        copy.distinctCount = distinctCount;
        copy.size = size;
        copy.last = last;
        return copy;
    }

    private void markSeen(int id) {
        int word = id >>> 6;
        if (word >= seen.length) {
            seen = Arrays.copyOf(seen, Math.max(word + 1, seen.length * 2));
        }
        if ((seen[word] & (1L << id)) == 0) {
            seen[word] |= 1L << id;
            appendDistinct(id);
        }
    }

    private void appendDistinct(int id) {
        if (distinctCount == distinct.length) {
            distinct = Arrays.copyOf(distinct, distinct.length * 2);
        }
        distinct[distinctCount++] = id;
    }
}
