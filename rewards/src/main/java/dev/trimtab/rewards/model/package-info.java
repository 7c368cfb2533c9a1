/**
 * Learned reward models behind the decoding module's {@link
 * dev.trimtab.decoding.schedule.SequenceRewardModel}: Optimum's sequence-classification ONNX layout
 * and score-head decoders. The decoding module defines what strategies call; this module
 * implements it, so that dependencies point one way ({@code rewards → decoding}).
 */
package dev.trimtab.rewards.model;
