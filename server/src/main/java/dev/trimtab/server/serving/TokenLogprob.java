package dev.trimtab.server.serving;

/**
 * One generated token and its log-probability under the distribution the request's strategy
 * sampled from (after its logits processing).
 *
 * @param token the token's text (a lone part of a multi-byte character decodes to U+FFFD)
 * @param logprob natural log-probability
 */
public record TokenLogprob(String token, double logprob) {}
