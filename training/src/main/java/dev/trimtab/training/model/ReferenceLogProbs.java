package dev.trimtab.training.model;

import ai.djl.ndarray.NDManager;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.objective.PreferencePair;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference policy's summed completion log-probabilities of preference pairs, computed once
 * before DPO trains (the reference is frozen, so recomputing it every step would only cost time).
 */
public final class ReferenceLogProbs {
    private ReferenceLogProbs() {}

    /** {@code pairs} with {@code log pi_ref} of their chosen and rejected completions filled in. */
    public static List<PreferencePair> attach(
            NDManager manager,
            DecoderSpec spec,
            DecoderWeights reference,
            List<PreferencePair> pairs,
            long pad,
            int batchSize) {
        List<PreferencePair> attached = new ArrayList<>(pairs.size());
        try (DecoderParameters parameters = DecoderParameters.of(manager, spec, reference)) {
            DjlDecoder model = new DjlDecoder(parameters);
            for (int from = 0; from < pairs.size(); from += batchSize) {
                List<PreferencePair> batch = pairs.subList(from, Math.min(pairs.size(), from + batchSize));
                List<TokenSequence> rows = new ArrayList<>(2 * batch.size());
                batch.forEach(pair -> rows.add(pair.chosen()));
                batch.forEach(pair -> rows.add(pair.rejected()));
                float[] logProbs;
                try (StepScope step = StepScope.open(manager)) {
                    logProbs = SequenceLogProbs.completion(model, step, PaddedBatch.of(step, rows, pad))
                            .toFloatArray();
                }
                for (int i = 0; i < batch.size(); i++) {
                    attached.add(batch.get(i).withReference(logProbs[i], logProbs[batch.size() + i]));
                }
            }
        }
        return attached;
    }
}
