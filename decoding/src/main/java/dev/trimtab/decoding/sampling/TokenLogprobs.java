package dev.trimtab.decoding.sampling;

import java.util.List;

/**
 * What a request learns about one sampled token's probability: its log-probability under the
 * distribution the strategy drew it from, the base model's log-probability of the same token, and
 * the most likely alternatives of the strategy's distribution. Summed over a sequence, {@code
 * logprob - baseLogprob} is the sequence's log-ratio log π(y|x) − log π_base(y|x), whose mean over
 * samples estimates KL(π‖π_base).
 *
 * @param logprob natural log-probability under the distribution the strategy drew the token from
 *     (a full distribution before the request's temperature and filters, or the candidates' scores
 *     of a strategy that chooses among a few); NaN when the request did not ask for it
 * @param baseLogprob natural log-probability of the same token under the base model's full
 *     distribution at the same prefix; NaN when the request did not ask for it
 * @param top the most likely tokens of the strategy's distribution, most likely first; empty when
 *     none were asked for
 */
public record TokenLogprobs(double logprob, double baseLogprob, List<TokenAlternative> top) {

    /** Nothing asked. */
    public static final TokenLogprobs NONE = new TokenLogprobs(Double.NaN, Double.NaN, List.of());

    public TokenLogprobs {
        top = List.copyOf(top);
    }

    /** {@code logprob} and {@code baseLogprob}, no alternatives. */
    public static TokenLogprobs of(double logprob, double baseLogprob) {
        return of(logprob, baseLogprob, List.of());
    }

    /** The three, or {@link #NONE} (no allocation per token) when nothing was asked. */
    public static TokenLogprobs of(double logprob, double baseLogprob, List<TokenAlternative> top) {
        return Double.isNaN(logprob) && Double.isNaN(baseLogprob) && top.isEmpty()
                ? NONE
                : new TokenLogprobs(logprob, baseLogprob, top);
    }
}
