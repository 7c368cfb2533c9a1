package dev.trimtab.decoding.sampling;

import java.util.Arrays;

/**
 * Nucleus (top-p) filtering (Holtzman et al. 2020, eq. 3): keeps the smallest set V_p of most
 * likely tokens with {@code Σ_{i∈V_p} p_i ≥ p}, and always at least one token.
 *
 * <p>Tokens are ranked by logit, ties broken by lower id, so the kept set is a well-defined prefix
 * of that order. The vocabulary is never sorted: one pass spreads the unnormalised probabilities
 * {@code exp(l_i − l_max)} over buckets of 1/64 nat below the top logit, a scan of the buckets finds
 * the one where the cumulative mass reaches p, and only that bucket's tokens go through a
 * quickselect that carries partition masses to find the last kept token. That is O(V) with
 * predictable branches, and the buffers are sized to one bucket, not to the vocabulary.
 */
public final class TopP implements LogitsProcessor {

    private static final int BUCKETS = 4096;
    /** Bucket resolution; logits more than 64 nats below the top share the last bucket. */
    private static final double BUCKETS_PER_NAT = 64.0;

    private final double p;
    private final double[] bucketMass = new double[BUCKETS];
    private int[] members = new int[64];
    private double[] memberWeights = new double[64];

    /** Keeps the nucleus of mass {@code p}, p in (0, 1); 1 would keep everything. */
    public TopP(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException(
                    "topP must be in (0, 1) to build a TopP processor (1 disables it), got " + p);
        }
        this.p = p;
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        float max = logits[Logits.argmax(logits)];
        double need = p * fillBuckets(logits, max);
        int bucket = 0;
        while (bucket < BUCKETS - 1 && bucketMass[bucket] < need) {
            need -= bucketMass[bucket++];
        }
        int boundary = lastKept(logits, collect(logits, max, bucket), need);
        if (boundary >= 0) {
            maskAfter(logits, boundary);
        }
    }

    /** Adds each token's {@code exp(l − max)} to its bucket and returns the total. */
    private double fillBuckets(float[] logits, float max) {
        Arrays.fill(bucketMass, 0.0);
        double total = 0;
        for (float x : logits) {
            if (x > Float.NEGATIVE_INFINITY) {
                double weight = Math.exp((double) x - max);
                bucketMass[bucketOf(x, max)] += weight;
                total += weight;
            }
        }
        return total;
    }

    /** Bucket of a logit: monotone, so every token in a lower bucket ranks before every one above. */
    private static int bucketOf(float x, float max) {
        return (int) Math.min(((double) max - x) * BUCKETS_PER_NAT, BUCKETS - 1);
    }

    /** Gathers the ids and weights of the tokens in {@code bucket}; returns how many. */
    private int collect(float[] logits, float max, int bucket) {
        int count = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] > Float.NEGATIVE_INFINITY && bucketOf(logits[i], max) == bucket) {
                ensureCapacity(count + 1);
                members[count] = i;
                memberWeights[count++] = Math.exp((double) logits[i] - max);
            }
        }
        return count;
    }

    private void ensureCapacity(int size) {
        if (size > members.length) {
            members = Arrays.copyOf(members, Math.max(size, members.length * 2));
            memberWeights = Arrays.copyOf(memberWeights, members.length);
        }
    }

    /**
     * The last member, in rank order, of the shortest prefix whose weight reaches {@code need}; -1
     * when rounding leaves even all members short of it, so everything is kept. Quickselect: each
     * round splits the range around a pivot and descends into the side that holds the boundary.
     */
    private int lastKept(float[] logits, int count, double need) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int split = partition(logits, lo, hi);
            double before = massBetween(lo, split);
            if (before >= need) {
                hi = split;
            } else if (before + memberWeights[split] >= need) {
                return members[split];
            } else {
                need -= before + memberWeights[split];
                lo = split + 1;
            }
        }
        return -1;
    }

    /**
     * Moves the members ranked before a median-of-three pivot to the front of {@code [lo, hi)} and
     * returns the pivot's new position (Lomuto's scheme).
     */
    private int partition(float[] logits, int lo, int hi) {
        swap(medianOfThree(logits, lo, lo + (hi - lo) / 2, hi - 1), hi - 1);
        int pivot = members[hi - 1];
        int split = lo;
        for (int j = lo; j < hi - 1; j++) {
            if (ranksBefore(logits, members[j], pivot)) {
                swap(j, split++);
            }
        }
        swap(split, hi - 1);
        return split;
    }

    private double massBetween(int from, int to) {
        double mass = 0;
        for (int j = from; j < to; j++) {
            mass += memberWeights[j];
        }
        return mass;
    }

    private int medianOfThree(float[] logits, int a, int b, int c) {
        int ia = members[a];
        int ib = members[b];
        int ic = members[c];
        if (ranksBefore(logits, ia, ib)) {
            return ranksBefore(logits, ib, ic) ? b : (ranksBefore(logits, ia, ic) ? c : a);
        }
        return ranksBefore(logits, ia, ic) ? a : (ranksBefore(logits, ib, ic) ? c : b);
    }

    private void swap(int a, int b) {
        int id = members[a];
        members[a] = members[b];
        members[b] = id;
        double weight = memberWeights[a];
        memberWeights[a] = memberWeights[b];
        memberWeights[b] = weight;
    }

    /** Masks every token ranked after {@code boundary}. */
    private static void maskAfter(float[] logits, int boundary) {
        for (int i = 0; i < logits.length; i++) {
            if (ranksBefore(logits, boundary, i)) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Higher logit first, lower id first among equal logits. */
    private static boolean ranksBefore(float[] logits, int a, int b) {
        return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    }

    @Override
    public String toString() {
        return "TopP[" + p + "]";
    }
}
