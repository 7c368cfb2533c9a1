package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.engine.DecoderModel;

/**
 * A decoder beside the base, stepped in its own lane: an aligned policy, an autoregressive reward
 * model, a score-head reward model or a prefix scorer.
 *
 * @param name the name requests use for it
 * @param kind what it is
 * @param decoder the model
 * @param sharedVocab token ids that mean the same in the base and in this model: strategies that
 *     use it mask every base id at or above it
 */
public record AuxiliaryModel(String name, ModelKind kind, DecoderModel decoder, int sharedVocab) {

    /** The role it plays in accounting. */
    public ModelRole role() {
        return kind.role();
    }
}
