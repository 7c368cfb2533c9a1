package dev.trimtab.decoding.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code k} most likely tokens of a distribution given as logits, most likely first (ties: the
 * lower id first), with log-probabilities {@code logit - logsumexp(logits)}. A partial selection:
 * one pass over the vocabulary keeping the best {@code k}, O(V k) for the small k the API allows.
 */
public final class TopLogprobs {
    /** Most alternatives a request may ask for per position (the OpenAI API's limit). */
    public static final int MAX_K = 20;

    private TopLogprobs() {}

    /**
     * The {@code k} best of {@code logits} (fewer when the vocabulary is smaller), each with its
     * log-probability against {@code normalizer}, the log-sum-exp of {@code logits}.
     */
    public static List<TokenAlternative> of(float[] logits, double normalizer, int k) {
        if (k < 0 || k > MAX_K) {
            throw new IllegalArgumentException("top log-probabilities k must be in [0, " + MAX_K + "], got " + k);
        }
        if (k == 0) {
            return List.of();
        }
        int[] best = new int[Math.min(k, logits.length)];
        int kept = 0;
        for (int id = 0; id < logits.length; id++) {
            if (kept < best.length) {
                kept++;
            } else if (!(logits[id] > logits[best[kept - 1]])) {
                continue;
            }
            int at = kept - 1;
            while (at > 0 && logits[id] > logits[best[at - 1]]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = id;
        }
        List<TokenAlternative> top = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++) {
            top.add(new TokenAlternative(best[i], logits[best[i]] - normalizer));
        }
        return top;
    }
}
