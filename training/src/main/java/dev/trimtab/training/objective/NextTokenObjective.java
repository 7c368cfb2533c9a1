package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.PaddedBatch;
import dev.trimtab.training.model.SequenceLogProbs;
import dev.trimtab.training.model.StepScope;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning: next-token cross-entropy on the completion tokens (every token after the
 * first when there is no prompt), averaged over tokens (Radford et al. 2018, eq. 1):
 *
 * <pre>
 * L = -(1 / N) sum_i sum_{t in completion_i} log pi(x_{i,t} | x_{i,&lt;t})
 * </pre>
 *
 * Held out, {@code exp(L)} is the perplexity.
 */
public final class NextTokenObjective implements Objective<TokenSequence> {
    private final long pad;

    public NextTokenObjective(long pad) {
        this.pad = pad;
    }

    @Override
    public boolean scoreHead() {
        return false;
    }

    @Override
    public StepLoss loss(DjlDecoder model, StepScope step, List<TokenSequence> batch) {
        PaddedBatch padded = PaddedBatch.of(step, batch, pad);
        NDArray weights = padded.completion();
        NDArray logProbs = SequenceLogProbs.perToken(model, step, padded);
        NDArray targets = weights.sum();
        NDArray loss = logProbs.mul(weights).sum().neg().div(targets);
        return new StepLoss(loss, targets(batch), padded.tokens(), Map.of());
    }

    /** Adds {@code perplexity = exp(loss)}, the loss being the mean negative log-likelihood per token. */
    @Override
    public Map<String, Double> summarize(Map<String, Double> means) {
        Map<String, Double> summary = new java.util.LinkedHashMap<>(means);
        summary.put("perplexity", Math.exp(means.get("loss")));
        return summary;
    }

    private static double targets(List<TokenSequence> batch) {
        return batch.stream()
                .mapToInt(s -> s.length() - Math.max(s.promptLength(), 1))
                .sum();
    }
}
