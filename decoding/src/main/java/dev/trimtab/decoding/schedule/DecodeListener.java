package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.sampling.TokenLogprobs;

/**
 * Receives one request's output. Called on the scheduler thread, between forward passes: keep it
 * short (hand the text to an event loop, do not block). An exception thrown here cancels the
 * request.
 */
public interface DecodeListener {

    /** The request left the queue: its prompt is prefilled in this round (queue time ends here). */
    default void onStart() {}

    /**
     * One generated token became part of the result, with the text it made final.
     *
     * @param token the token id
     * @param text text released with this token, possibly empty: an incomplete UTF-8 character or a
     *     possible start of a stop sequence is held back until the next token decides it
     * @param logprob the token's log-probability under the strategy's distribution, or NaN when the
     *     request did not ask for log-probabilities
     */
    void onToken(long token, String text, double logprob);

    /**
     * {@link #onToken(long, String, double)} with, when the request asked, the most likely tokens of
     * the distribution the token was drawn from, most likely first (as many as the request's {@link
     * DecodeRequest#topLogprobs()}), and the base model's log-probability of the token ({@link
     * DecodeRequest#baseLogprobs()}).
     */
    default void onToken(long token, String text, TokenLogprobs logprobs) {
        onToken(token, text, logprobs.logprob());
    }

    /** The request finished; no other call follows. */
    void onFinish(DecodeResult result);

    /** The request was cancelled (its handle, or the scheduler closing); no other call follows. */
    default void onCancel(Accounting accounting) {}

    /**
     * The request failed: an ONNX Runtime error in a lane it used, or a fault of its strategy. Its
     * rows are released; no other call follows.
     */
    default void onError(Exception error) {}
}
