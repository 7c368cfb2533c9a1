package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.CompletionRequest;
import dev.trimtab.server.api.RequestParser;
import dev.trimtab.server.serving.CompletionObserver;
import dev.trimtab.server.serving.ServedModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST /v1/completions} and {@code /v1/chat/completions}: parse and validate on the event
 * loop, hand the request to its model's scheduler, and answer from the events it sends back. A
 * client that disconnects cancels its request.
 */
final class CompletionsEndpoint {
    private final ObjectMapper json;
    private final ErrorBodies errors;
    private final Function<String, ServedModel> models;
    private final PromptWorkers workers;

    CompletionsEndpoint(
            ObjectMapper json, ErrorBodies errors, Function<String, ServedModel> models, PromptWorkers workers) {
        this.json = json;
        this.errors = errors;
        this.models = models;
        this.workers = workers;
    }

    void completions(RoutingContext ctx) {
        handle(ctx, CompletionRequest.Kind.COMPLETION);
    }

    void chat(RoutingContext ctx) {
        handle(ctx, CompletionRequest.Kind.CHAT);
    }

    private void handle(RoutingContext ctx, CompletionRequest.Kind kind) {
        try {
            JsonNode body = JsonBodies.read(json, ctx);
            CompletionRequest request =
                    kind == CompletionRequest.Kind.CHAT ? RequestParser.chat(body) : RequestParser.completion(body);
            ServedModel model = models.apply(request.model());
            start(ctx, request, model);
        } catch (ApiException e) {
            errors.send(ctx.response(), e);
        }
    }

    /**
     * Prepares the request on a prompt worker (template, tokenization, admission), then answers on
     * the connection's context: a refusal as an error status, or the stream's headers. Events the
     * scheduler sends meanwhile queue on the same context; a stream opens at its first event.
     */
    private void start(RoutingContext ctx, CompletionRequest request, ServedModel model) {
        String prefix = request.kind() == CompletionRequest.Kind.CHAT ? "chatcmpl-" : "cmpl-";
        ResponseBodies bodies = new ResponseBodies(
                json,
                request,
                prefix + UUID.randomUUID().toString().replace("-", ""),
                System.currentTimeMillis() / 1000,
                model.name());
        HttpServerResponse response = ctx.response();
        CompletionObserver answer = request.stream()
                ? new StreamedAnswer(response, bodies, errors, request.includeUsage())
                : new BufferedAnswer(response, bodies, errors);
        Context context = Vertx.currentContext();
        PendingSubmission pending = new PendingSubmission();
        response.closeHandler(closed -> pending.cancel());
        workers.run(() -> model.submit(request, new OnContext(context, answer)))
                .whenComplete((submission, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        errors.send(response, ErrorBodies.refusal(error));
                        return;
                    }
                    pending.set(submission);
                    if (answer instanceof StreamedAnswer streamed) {
                        streamed.open();
                    }
                }));
    }
}
