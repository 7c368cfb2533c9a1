package dev.trimtab.server.serving;

import java.util.List;

/**
 * One generated token: its id and, when the request asked for log-probabilities, its text, its
 * log-probability under the distribution the request's strategy sampled from (before the request's
 * temperature and filters) and the most likely alternatives of that distribution.
 *
 * @param id the token id
 * @param token the token's text (a lone part of a multi-byte character decodes to U+FFFD); empty
 *     when the request did not ask for log-probabilities
 * @param logprob natural log-probability; NaN when the request did not ask for it
 * @param top the most likely tokens at this position, most likely first; as many as the request's
 *     {@code logprobs} (completions) or {@code top_logprobs} (chat), empty for none
 * @param prompt whether it is a prompt token, echoed with its log-probability under the base model
 *     (the first prompt token's is NaN: nothing precedes it)
 */
public record TokenLogprob(long id, String token, double logprob, List<Alternative> top, boolean prompt) {

    public TokenLogprob {
        top = List.copyOf(top);
    }

    /** One of the most likely tokens at a position, with its text and log-probability. */
    public record Alternative(String token, double logprob) {}
}
