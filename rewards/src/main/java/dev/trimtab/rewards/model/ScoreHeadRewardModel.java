package dev.trimtab.rewards.model;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A score-head decoder (one scalar per position, KV-cached) used as a sequence reward model: the
 * sequences are prefilled together, left-padded, and each one's score is read at its last token.
 * The same decoder can step in a scheduler lane for ARGS and controlled decoding ({@link #decoder()}).
 */
public final class ScoreHeadRewardModel implements RewardModel {
    /** Sequences prefilled in one batch: bounds the KV cache a large best-of-N allocates at once. */
    static final int MAX_BATCH = 64;

    private final DecoderModel decoder;
    private final boolean owned;

    private ScoreHeadRewardModel(DecoderModel decoder, boolean owned) {
        if (decoder.vocabSize() != 1) {
            throw new IllegalArgumentException(
                    decoder.files().directory() + " is a language model (its logits have " + decoder.vocabSize()
                            + " entries), not a reward model: a reward model has a score head of width 1");
        }
        this.decoder = decoder;
        this.owned = owned;
    }

    /** Scores with {@code decoder}, which the caller keeps and closes. */
    public static ScoreHeadRewardModel of(DecoderModel decoder) {
        return new ScoreHeadRewardModel(decoder, false);
    }

    /** Loads the decoder in {@code directory}; closing this model closes it. */
    public static ScoreHeadRewardModel load(Path directory, SessionSettings settings) throws OrtException {
        DecoderModel decoder = DecoderModel.load(directory, settings);
        try {
            return new ScoreHeadRewardModel(decoder, true);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    @Override
    public RewardLabels labels() {
        return RewardLabels.SINGLE;
    }

    @Override
    public float[][] logits(List<long[]> sequences) throws OrtException {
        float[] scores = score(sequences);
        float[][] logits = new float[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            logits[i] = new float[] {scores[i]};
        }
        return logits;
    }

    @Override
    public float[] score(List<long[]> sequences) throws OrtException {
        SequenceChecks.check(sequences, inputVocabSize(), contextLength(), directory());
        float[] scores = new float[sequences.size()];
        for (int start = 0; start < scores.length; start += MAX_BATCH) {
            List<long[]> chunk = sequences.subList(start, Math.min(scores.length, start + MAX_BATCH));
            try (DecoderBatch batch = DecoderBatch.prefill(decoder, chunk)) {
                for (int i = 0; i < chunk.size(); i++) {
                    scores[start + i] = batch.logits().get(i, 0);
                }
            }
        }
        return scores;
    }

    @Override
    public int inputVocabSize() {
        return decoder.inputVocabSize();
    }

    @Override
    public int contextLength() {
        return decoder.contextLength();
    }

    @Override
    public Path directory() {
        return decoder.files().directory();
    }

    @Override
    public Optional<DecoderModel> decoder() {
        return Optional.of(decoder);
    }

    @Override
    public void close() throws OrtException {
        if (owned) {
            decoder.close();
        }
    }
}
