package dev.trimtab.decoding.strategy;

/**
 * A sequence reward model under the name requests use for it.
 *
 * @param name the name, e.g. {@code "rm"}
 * @param model the model
 * @param sharedVocab base token ids the model accepts; strategies that use it sample below it
 */
public record NamedRewardModel(String name, SequenceRewardModel model, int sharedVocab) {}
