package dev.trimtab.server.serving;

import java.util.List;

/** Receives a request's progress, on the scheduler thread; must not block. */
public interface CompletionObserver {
    /**
     * Text that became final for choice {@code choice}, with the tokens generated since the last
     * call when the request asked for log-probabilities or token ids (else an empty list), and the
     * choice's prompt as token ids.
     */
    void onText(int choice, String text, List<TokenLogprob> logprobs, long[] promptIds);

    /** Choice {@code choice} ended. */
    void onChoiceFinished(int choice, ChoiceResult result);

    /** Every choice ended; {@code summary} holds usage and the strategy's accounting. */
    void onCompleted(RequestSummary summary);

    /** The request failed or was cancelled before completing. */
    void onFailed(Throwable error);
}
