package dev.trimtab.server.http;

import dev.trimtab.server.serving.Submission;

/**
 * A request's submission, which exists only once a prompt worker has prepared it: a client that
 * disconnects before then has its request cancelled as soon as it is submitted. Event loop only.
 */
final class PendingSubmission {
    private Submission submission;
    private boolean cancelled;

    void set(Submission submitted) {
        submission = submitted;
        if (cancelled) submitted.cancel();
    }

    void cancel() {
        cancelled = true;
        if (submission != null) submission.cancel();
    }
}
