package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.PaddedBatch;
import dev.trimtab.training.model.StepScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prefix scorer for controlled decoding, trained as CD-FUDGE does (Mudgal et al. 2024, Controlled
 * Decoding, the CD-FUDGE objective): the value head at every prefix of a completed rollout {@code (x, y)} is regressed on the
 * rollout's reward, a Monte-Carlo target for {@code V(x, y_{<=t}) = E[r(x, y) | x, y_{<=t}]}:
 *
 * <pre>
 * L = (1 / N) sum_i sum_{t = |x_i| - 1}^{|x_i| + |y_i| - 1} ( V(x_i, y_{i,&lt;=t}) - r(x_i, y_i) )^2
 * </pre>
 *
 * The position {@code |x| - 1} (the prompt alone) is included, so that a decoder can score the
 * first token too. Metrics: the loss ({@code mse}) and {@code final_mse}, the error at the last
 * token.
 */
public final class PrefixValueObjective implements Objective<ScoredSequence> {
    private final long pad;

    public PrefixValueObjective(long pad) {
        this.pad = pad;
    }

    @Override
    public boolean scoreHead() {
        return true;
    }

    @Override
    public StepLoss loss(DjlDecoder model, StepScope step, List<ScoredSequence> batch) {
        List<TokenSequence> sequences = new ArrayList<>(batch.size());
        batch.forEach(scored -> sequences.add(scored.sequence()));
        PaddedBatch padded = PaddedBatch.of(step, sequences, pad);
        int length = Math.toIntExact(padded.ids().getShape().get(1));
        float[][] positions = new float[batch.size()][length];
        float[][] rewards = new float[batch.size()][1];
        double counted = 0;
        for (int r = 0; r < batch.size(); r++) {
            TokenSequence sequence = sequences.get(r);
            for (int t = Math.max(sequence.promptLength() - 1, 0); t < sequence.length(); t++) {
                positions[r][t] = 1f;
                counted++;
            }
            rewards[r][0] = (float) batch.get(r).reward();
        }
        NDArray weights = step.floats(positions);
        NDArray hidden = model.hidden(step.manager(), padded.ids(), padded.mask());
        NDArray errors = model.scores(hidden).sub(step.floats(rewards)).square();
        NDArray loss = errors.mul(weights).sum().div(weights.sum());
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("final_mse", errors.gather(padded.last(), 1).mean().toType(DataType.FLOAT32, false));
        return new StepLoss(loss, counted, padded.tokens(), metrics);
    }
}
