package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.SequenceLogProbs;
import dev.trimtab.training.model.StepScope;
import java.util.List;

/**
 * The autoregressive reward model of GenARM (Xu et al. 2025, its ARM training objective): a causal
 * language model
 * {@code pi_r} whose summed token log-probabilities are the reward, {@code r(x, y) = sum_t log
 * pi_r(y_t | x, y_{<t})}, trained with the reference-free preference loss
 *
 * <pre>
 * L = -log sigma( beta_r [ log pi_r(y_w|x) - log pi_r(y_l|x) ] )
 * </pre>
 *
 * At decoding time the server samples from {@code pi_base(y_t|.) pi_r(y_t|.)^(1/beta)}, one token at
 * a time.
 */
public final class ArmObjective implements Objective<PreferencePair> {
    private final double beta;
    private final long pad;

    public ArmObjective(double beta, long pad) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("arm beta must be > 0, got " + beta);
        }
        this.beta = beta;
        this.pad = pad;
    }

    @Override
    public boolean scoreHead() {
        return false;
    }

    @Override
    public StepLoss loss(DjlDecoder model, StepScope step, List<PreferencePair> batch) {
        PairBatch pairs = PairBatch.of(step, batch, pad);
        NDArray rewards =
                SequenceLogProbs.completion(model, step, pairs.padded()).mul((float) beta);
        return PairwiseMetrics.loss(
                pairs.chosen(rewards),
                pairs.rejected(rewards),
                batch.size(),
                pairs.padded().tokens());
    }
}
