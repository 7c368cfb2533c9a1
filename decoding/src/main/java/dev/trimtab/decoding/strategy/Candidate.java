package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Completion;

/**
 * A completion a strategy scored with a reward model.
 *
 * @param completion the candidate's text, tokens and finish reason
 * @param reward its reward
 */
public record Candidate(Completion completion, double reward) {}
