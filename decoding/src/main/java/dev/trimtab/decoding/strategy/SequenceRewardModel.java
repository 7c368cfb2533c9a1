package dev.trimtab.decoding.strategy;

import ai.onnxruntime.OrtException;
import java.util.List;

/**
 * A reward model that scores whole sequences, without a cache: what best-of-N ranks its candidates
 * with. Implementations live in the {@code rewards} module (the sequence-classification ONNX layout,
 * score-head decoders); the scheduler calls them on its own thread, one batch per round.
 */
public interface SequenceRewardModel {

    /**
     * One reward per sequence, scored in one batch (or as few as memory allows).
     *
     * @param sequences token ids, prompt then completion, each at least one token long
     */
    float[] score(List<long[]> sequences) throws OrtException;

    /** Token ids the model accepts: every id of a scored sequence must be below it. */
    int inputVocabSize();

    /** Longest sequence the model scores. */
    int contextLength();
}
