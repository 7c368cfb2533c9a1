package dev.trimtab.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Log-probabilities of the tokens of a padded batch under a language model. */
public final class SequenceLogProbs {
    private SequenceLogProbs() {}

    /**
     * {@code log p(x_{t+1} | x_{<=t})} for every position, {@code [batch, seq - 1]} (padding
     * positions included; weight them with {@link PaddedBatch#completion()}).
     */
    public static NDArray perToken(DjlDecoder model, StepScope step, PaddedBatch batch) {
        NDArray hidden = model.hidden(step.manager(), batch.ids(), batch.mask());
        NDArray logits = model.logits(hidden.get(new NDIndex(":, :-1, :")));
        return logits.logSoftmax(2).gather(batch.targets(), 2).squeeze(2);
    }

    /**
     * {@code log pi(y | x) = sum_t log pi(y_t | x, y_{<t})} over each row's completion tokens (the
     * end-of-sequence token included), {@code [batch]}.
     */
    public static NDArray completion(DjlDecoder model, StepScope step, PaddedBatch batch) {
        return perToken(model, step, batch).mul(batch.completion()).sum(new int[] {1});
    }
}
