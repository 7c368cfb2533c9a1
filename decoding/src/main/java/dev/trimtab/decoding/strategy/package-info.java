/**
 * Alignment strategies, one package each with the same parts: a parameters record that validates
 * itself and implements {@link dev.trimtab.decoding.schedule.AlignmentStrategy}, and a step-wise
 * decoder the scheduler drives. This package holds what they share: parameter checks, top-k
 * candidates, choosing among scored candidates.
 */
package dev.trimtab.decoding.strategy;
