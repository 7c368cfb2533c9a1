package dev.trimtab.decoding.cli;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import java.util.List;

/**
 * A sequence reward model over a score-head decoder: one prefill of every sequence, the score at
 * each one's last token, in one batch. What the strategy benchmark ranks best-of-N candidates with
 * (tests reuse it); the {@code rewards} module's models add input checks and bounded batches.
 */
public final class PrefillRewardModel implements SequenceRewardModel {
    private final DecoderModel scorer;

    public PrefillRewardModel(DecoderModel scorer) {
        this.scorer = scorer;
    }

    @Override
    public float[] score(List<long[]> sequences) throws OrtException {
        try (DecoderBatch batch = DecoderBatch.prefill(scorer, sequences)) {
            float[] scores = new float[sequences.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = batch.logits().get(i, 0);
            }
            return scores;
        }
    }

    @Override
    public int inputVocabSize() {
        return scorer.inputVocabSize();
    }

    @Override
    public int contextLength() {
        return scorer.contextLength();
    }
}
