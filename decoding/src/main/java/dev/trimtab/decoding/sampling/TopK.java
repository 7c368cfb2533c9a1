package dev.trimtab.decoding.sampling;

import java.util.Arrays;

/**
 * Top-k filtering (Fan et al. 2018): keeps the k largest logits and masks the rest.
 *
 * <p>Ranks by logit, ties broken by lower token id, so exactly k tokens survive (when k finite
 * logits exist) and top-1 keeps the same token greedy decoding picks. The k-th largest value is
 * found with a size-k min-heap in O(V log k) time and O(k) reused space; the vocabulary is never
 * sorted.
 */
public final class TopK implements LogitsProcessor {

    private final int k;
    private float[] heap = new float[0];

    /** Keeps {@code k} tokens, k at least 1. */
    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topK must be >= 1 to build a TopK processor, got " + k);
        }
        this.k = k;
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        if (k >= logits.length) {
            return;
        }
        float threshold = kthLargest(logits);
        if (threshold > Float.NEGATIVE_INFINITY) {
            mask(logits, threshold, k - countAbove(threshold));
        }
    }

    /** The k-th largest logit counting repeats; -Infinity when fewer than k are above it. */
    private float kthLargest(float[] logits) {
        if (heap.length != k) {
            heap = new float[k];
        }
        Arrays.fill(heap, Float.NEGATIVE_INFINITY);
        for (float x : logits) {
            if (x > heap[0]) {
                replaceMin(x);
            }
        }
        return heap[0];
    }

    /** Puts {@code x} at the root of the min-heap and sifts it down. */
    private void replaceMin(float x) {
        int parent = 0;
        int child = 1;
        while (child < k) {
            if (child + 1 < k && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= x) {
                break;
            }
            heap[parent] = heap[child];
            parent = child;
            child = 2 * parent + 1;
        }
        heap[parent] = x;
    }

    /** Every logit above the threshold is in the heap, so counting there is O(k). */
    private int countAbove(float threshold) {
        int count = 0;
        for (float x : heap) {
            count += x > threshold ? 1 : 0;
        }
        return count;
    }

    /** Keeps logits above the threshold and the first {@code tiesKept} equal to it, by id. */
    private static void mask(float[] logits, float threshold, int tiesKept) {
        for (int i = 0; i < logits.length; i++) {
            float x = logits[i];
            if (x < threshold || (x == threshold && tiesKept-- <= 0)) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "TopK[" + k + "]";
    }
}
