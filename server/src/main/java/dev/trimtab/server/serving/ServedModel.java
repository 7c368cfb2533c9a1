package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.server.api.CompletionRequest;

/** A base model as the HTTP layer sees it: something to submit completion requests to. */
public interface ServedModel extends AutoCloseable {
    /** The name clients send as {@code model}. */
    String name();

    /** The {@code /v1/models} entry: context length, strategies, auxiliary models. */
    ObjectNode card();

    /**
     * Queues a request. Events reach {@code observer} on the model's scheduler thread.
     *
     * @throws dev.trimtab.server.api.ApiException 400 for a request this model cannot serve (prompt
     *     over the context, bad alignment parameters), 404 for an unknown auxiliary model, 429 when
     *     admission is full
     */
    Submission submit(CompletionRequest request, CompletionObserver observer);

    /**
     * Scores the request's inputs with one of this model's reward models, on the calling thread.
     *
     * @throws dev.trimtab.server.api.ApiException 404 for an unknown reward model, 400 for a bad
     *     input, 503 while shutting down
     */
    ClassifyScores classify(dev.trimtab.server.api.ClassifyRequest request);

    /** Requests queued or running. */
    int inFlight();

    @Override
    void close();
}
