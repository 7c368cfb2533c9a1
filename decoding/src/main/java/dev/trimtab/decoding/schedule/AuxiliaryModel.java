package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.engine.DecoderModel;

/**
 * A decoder beside the base, stepped in its own lane: an aligned policy or an autoregressive reward
 * model (role {@link ModelRole#POLICY}), or a score-head reward model or prefix scorer (role {@link
 * ModelRole#REWARD}).
 *
 * @param name the name requests use for it
 * @param role its role
 * @param decoder the model
 * @param sharedVocab token ids that mean the same in the base and in this model: strategies that
 *     use it mask every base id at or above it
 */
public record AuxiliaryModel(String name, ModelRole role, DecoderModel decoder, int sharedVocab) {}
