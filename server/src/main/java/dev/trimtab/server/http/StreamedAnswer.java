package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.serving.ChoiceResult;
import dev.trimtab.server.serving.CompletionObserver;
import dev.trimtab.server.serving.RequestSummary;
import dev.trimtab.server.serving.TokenLogprob;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers a streaming request with Server-Sent Events: {@code data: {chunk}} per piece of text, a
 * finishing chunk per choice, a summary chunk (usage when asked, alignment accounting), then
 * {@code data: [DONE]}.
 */
final class StreamedAnswer implements CompletionObserver {
    private final HttpServerResponse response;
    private final ResponseBodies bodies;
    private final ErrorBodies errors;
    private final boolean includeUsage;
    private final Set<Integer> started = new HashSet<>();

    StreamedAnswer(HttpServerResponse response, ResponseBodies bodies, ErrorBodies errors, boolean includeUsage) {
        this.response = response;
        this.bodies = bodies;
        this.errors = errors;
        this.includeUsage = includeUsage;
    }

    /** Sends the event-stream headers (once), so that clients see the stream open. */
    void open() {
        if (response.headWritten() || response.closed()) {
            return;
        }
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        response.writeHead();
    }

    @Override
    public void onText(int choice, String text, List<TokenLogprob> logprobs, long[] promptIds) {
        write(bodies.textChunk(choice, text, logprobs, started.add(choice), promptIds));
    }

    @Override
    public void onChoiceFinished(int choice, ChoiceResult result) {
        if (started.add(choice)) {
            write(bodies.textChunk(choice, "", List.of(), true, result.promptTokenIds()));
        }
        write(bodies.finishChunk(result));
    }

    @Override
    public void onCompleted(RequestSummary summary) {
        write(bodies.summaryChunk(summary, includeUsage));
        if (!response.closed() && !response.ended()) {
            open();
            response.end("data: [DONE]\n\n");
        }
    }

    @Override
    public void onFailed(Throwable error) {
        errors.send(response, error instanceof ApiException api ? api : ErrorBodies.serverFault(error.getMessage()));
    }

    private void write(ObjectNode chunk) {
        if (!response.closed() && !response.ended()) {
            open();
            response.write("data: " + chunk + "\n\n");
        }
    }
}
