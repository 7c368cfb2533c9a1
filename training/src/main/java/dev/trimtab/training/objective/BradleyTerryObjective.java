package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.StepScope;
import java.util.List;

/**
 * A sequence reward model: a scalar head read at each row's last real token, trained with the
 * Bradley-Terry pairwise loss (Ouyang et al. 2022, eq. 1):
 *
 * <pre>
 * L = -log sigma( r(x, y_w) - r(x, y_l) )
 * </pre>
 *
 * The score is pooled exactly where the exported sequence-classification graph pools it.
 */
public final class BradleyTerryObjective implements Objective<PreferencePair> {
    private final long pad;

    public BradleyTerryObjective(long pad) {
        this.pad = pad;
    }

    @Override
    public boolean scoreHead() {
        return true;
    }

    @Override
    public StepLoss loss(DjlDecoder model, StepScope step, List<PreferencePair> batch) {
        PairBatch pairs = PairBatch.of(step, batch, pad);
        NDArray hidden = model.hidden(
                step.manager(), pairs.padded().ids(), pairs.padded().mask());
        NDArray rewards = model.scores(hidden).gather(pairs.padded().last(), 1).squeeze(1);
        return PairwiseMetrics.loss(
                pairs.chosen(rewards),
                pairs.rejected(rewards),
                batch.size(),
                pairs.padded().tokens());
    }
}
