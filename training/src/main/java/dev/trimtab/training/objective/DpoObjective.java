package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.SequenceLogProbs;
import dev.trimtab.training.model.StepScope;
import java.util.List;

/**
 * Direct Preference Optimization (Rafailov et al. 2023, eq. 7):
 *
 * <pre>
 * L = -log sigma( beta [ (log pi(y_w|x) - log pi_ref(y_w|x)) - (log pi(y_l|x) - log pi_ref(y_l|x)) ] )
 * </pre>
 *
 * with log-probabilities summed over the completion tokens. The reference terms are computed once
 * before training ({@link PreferencePair#referenceChosen()}); the reported rewards are the implicit
 * ones, {@code beta (log pi - log pi_ref)}.
 */
public final class DpoObjective implements Objective<PreferencePair> {
    private final double beta;
    private final long pad;

    public DpoObjective(double beta, long pad) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("dpo beta must be > 0, got " + beta);
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
        NDArray logProbs = SequenceLogProbs.completion(model, step, pairs.padded());
        float[] chosenReference = new float[batch.size()];
        float[] rejectedReference = new float[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            chosenReference[i] = (float) reference(batch.get(i).referenceChosen());
            rejectedReference[i] = (float) reference(batch.get(i).referenceRejected());
        }
        NDArray chosen = pairs.chosen(logProbs)
                .sub(step.manager().create(chosenReference))
                .mul((float) beta);
        NDArray rejected = pairs.rejected(logProbs)
                .sub(step.manager().create(rejectedReference))
                .mul((float) beta);
        return PairwiseMetrics.loss(
                chosen, rejected, batch.size(), pairs.padded().tokens());
    }

    private static double reference(double logProb) {
        if (Double.isNaN(logProb)) {
            throw new IllegalStateException("DPO needs reference log-probabilities; compute them before training");
        }
        return logProb;
    }
}
