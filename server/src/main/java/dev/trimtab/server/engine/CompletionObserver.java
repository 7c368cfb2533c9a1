package dev.trimtab.server.engine;

/** Receives a request's progress, on the scheduler thread; must not block. */
public interface CompletionObserver {
    /** Text that became final for choice {@code choice} (never empty). */
    void onText(int choice, String text);

    /** Choice {@code choice} ended. */
    void onChoiceFinished(int choice, ChoiceResult result);

    /** Every choice ended; {@code summary} holds usage and the strategy's accounting. */
    void onCompleted(RequestSummary summary);

    /** The request failed or was cancelled before completing. */
    void onFailed(Throwable error);
}
