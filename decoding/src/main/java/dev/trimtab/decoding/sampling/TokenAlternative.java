package dev.trimtab.decoding.sampling;

/**
 * One of the most likely tokens at a position, with its log-probability under the distribution
 * the sampled token was drawn from.
 *
 * @param token the token id
 * @param logprob natural log-probability
 */
public record TokenAlternative(long token, double logprob) {}
