package dev.trimtab.server.serving;

import java.util.List;

/**
 * One token of an answer: its id and, when the request asked for log-probabilities, its string, its
 * bytes, where its string starts in the answer's text, its log-probability under the distribution
 * the request's strategy sampled from (before the request's temperature and filters), the base
 * model's log-probability of it when asked, and the most likely alternatives of the strategy's
 * distribution.
 *
 * @param id the token id
 * @param token what the token adds to the text, so that the strings of an answer's tokens
 *     concatenate to its text ({@code ""} for part of a character, whose bytes are in {@code bytes},
 *     or a special token); empty when the request did not ask for log-probabilities
 * @param bytes the token's UTF-8 bytes, partial characters included: they concatenate to the
 *     text's UTF-8
 * @param textOffset where {@code token} starts in the answer's text (echoed prompt included), in
 *     Unicode code points
 * @param logprob natural log-probability; NaN when the request did not ask for it
 * @param baseLogprob the base model's natural log-probability of the token at the same prefix; NaN
 *     when the request did not ask for it ({@code return_base_logprobs})
 * @param top the most likely tokens at this position, most likely first; as many as the request's
 *     {@code logprobs} (completions) or {@code top_logprobs} (chat), empty for none
 * @param prompt whether it is a prompt token, echoed with its log-probability under the base model
 *     (the first prompt token's is NaN: nothing precedes it)
 */
public record TokenLogprob(
        long id,
        String token,
        byte[] bytes,
        int textOffset,
        double logprob,
        double baseLogprob,
        List<Alternative> top,
        boolean prompt) {

    public TokenLogprob {
        bytes = bytes.clone();
        top = List.copyOf(top);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A token reported by id only (token ids asked, log-probabilities not). */
    static TokenLogprob idOnly(long id) {
        return new TokenLogprob(id, "", new byte[0], 0, Double.NaN, Double.NaN, List.of(), false);
    }

    /**
     * One of the most likely tokens at a position, with its string (a token that would leave a
     * character incomplete is spelled {@code bytes:\xNN...}), its bytes and log-probability.
     */
    public record Alternative(String token, byte[] bytes, double logprob) {
        public Alternative {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }
}
