package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.server.api.ApiException;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletionException;

/** Writes errors in the OpenAI shape {@code {"error": {"message", "type", "param", "code"}}}. */
final class ErrorBodies {
    /**
     * Longest message sent: messages quote client values (a model name, a stop string), and an
     * error must not echo a megabyte back. Longer ones keep their head and say how much was cut.
     */
    static final int MAX_MESSAGE = 512;

    private final ObjectMapper json;

    ErrorBodies(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode body(ApiException error) {
        ObjectNode root = json.createObjectNode();
        ObjectNode body = root.putObject("error");
        body.put("message", bounded(error.getMessage()));
        body.put("type", error.type());
        if (error.param() == null) body.putNull("param");
        else body.put("param", error.param());
        body.put("code", error.code());
        return root;
    }

    static String bounded(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) return message;
        return message.substring(0, MAX_MESSAGE - 40) + "... (" + (message.length() - MAX_MESSAGE + 40)
                + " characters cut)";
    }

    void send(HttpServerResponse response, ApiException error) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.end("data: " + body(error) + "\n\ndata: [DONE]\n\n");
            return;
        }
        response.setStatusCode(error.status()).putHeader("content-type", "application/json");
        if (error.status() == 429) {
            response.putHeader("retry-after", "1");
        }
        response.end(body(error).toString());
    }

    /** What a prompt worker's failure becomes: the API error it threw, or a 500 naming the fault's type. */
    static ApiException refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ApiException api
                ? api
                : serverFault("internal error: " + cause.getClass().getSimpleName());
    }

    static ApiException serverFault(String message) {
        return new ApiException(500, "server_error", null, "internal_error", message);
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(
                413,
                "invalid_request_error",
                null,
                "request_too_large",
                "the request body is larger than the limit of " + limit + " bytes");
    }

    static ApiException unauthorized() {
        return new ApiException(
                401,
                "invalid_request_error",
                null,
                "invalid_api_key",
                "a valid API key is required: send it as 'Authorization: Bearer <key>'");
    }

    static ApiException loading() {
        return new ApiException(
                503,
                "server_error",
                null,
                "model_loading",
                "the models are still loading; GET /health answers 200 once they serve");
    }

    static ApiException draining() {
        return new ApiException(
                503,
                "server_error",
                null,
                "server_draining",
                "the server is draining for shutdown and takes no new requests; retry on another instance");
    }
}
