package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.ModelRole;

/**
 * What one request used of one model.
 *
 * @param role what the model did for the request
 * @param forwardPasses batched forward passes (prefills and steps) the request took part in
 * @param tokens tokens the model processed for the request: prompt tokens of prefills, one per row
 *     per step, every token of a scored sequence
 * @param nanos the request's share of the passes' time, split by its rows (steps) or tokens
 *     (prefills, scoring)
 */
public record ModelUsage(ModelRole role, long forwardPasses, long tokens, long nanos) {}
