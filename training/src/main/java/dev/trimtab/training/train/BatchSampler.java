package dev.trimtab.training.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which examples step {@code t} trains on: epochs of seeded permutations, cut into consecutive
 * batches. The batch of a step depends only on the seed and the step, so a resumed run sees
 * exactly the batches the interrupted one would have.
 */
public final class BatchSampler {
    private final int size;
    private final int batchSize;
    private final long seed;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public BatchSampler(int size, int batchSize, long seed) {
        if (size < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "need at least one example and a batch size >= 1, got " + size + " and " + batchSize);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** The example indices of step {@code step} (0-based), {@code min(batchSize, size)} of them. */
    public List<Integer> batch(int step) {
        int perBatch = Math.min(batchSize, size);
        List<Integer> indices = new ArrayList<>(perBatch);
        long start = (long) step * perBatch;
        for (long i = start; i < start + perBatch; i++) {
            indices.add(order((int) (i / size))[(int) (i % size)]);
        }
        return indices;
    }

    private int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder =
                    permutation(size, new SplittableRandom(seed).split().nextLong() ^ epoch * 0x9E3779B97F4A7C15L);
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /** Fisher-Yates over {@code [0, n)}. */
    static int[] permutation(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
