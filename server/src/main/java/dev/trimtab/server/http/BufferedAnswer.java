package dev.trimtab.server.http;

import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.serving.ChoiceResult;
import dev.trimtab.server.serving.CompletionObserver;
import dev.trimtab.server.serving.RequestSummary;
import dev.trimtab.server.serving.TokenLogprob;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Answers a non-streaming request with one JSON body once every choice has finished. */
final class BufferedAnswer implements CompletionObserver {
    private final HttpServerResponse response;
    private final ResponseBodies bodies;
    private final ErrorBodies errors;
    private final List<ChoiceResult> choices = new ArrayList<>();

    BufferedAnswer(HttpServerResponse response, ResponseBodies bodies, ErrorBodies errors) {
        this.response = response;
        this.bodies = bodies;
        this.errors = errors;
    }

    @Override
    public void onText(int choice, String text, List<TokenLogprob> logprobs, long[] promptIds) {}

    @Override
    public void onChoiceFinished(int choice, ChoiceResult result) {
        choices.add(result);
    }

    @Override
    public void onCompleted(RequestSummary summary) {
        if (response.closed() || response.ended()) {
            return;
        }
        choices.sort(Comparator.comparingInt(ChoiceResult::index));
        response.putHeader("content-type", "application/json")
                .end(bodies.complete(choices, summary).toString());
    }

    @Override
    public void onFailed(Throwable error) {
        errors.send(response, error instanceof ApiException api ? api : ErrorBodies.serverFault(error.getMessage()));
    }
}
