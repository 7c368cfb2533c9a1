package dev.trimtab.server.api;

import dev.trimtab.decoding.InvalidRequestException;

/**
 * A request the server refuses, carrying what the OpenAI error shape needs:
 * {@code {"error": {"message", "type", "param", "code"}}} and the HTTP status.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: a field breaks a rule; the message names the field and the rule. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, "invalid_value", message);
    }

    /**
     * The engine's refusal of a request, by its code: 404 for a model that is not served, 400 for
     * the rest (a context overflow with OpenAI's code {@code context_length_exceeded}).
     */
    public static ApiException of(InvalidRequestException error) {
        String param = error.field().orElse(null);
        return switch (error.code()) {
            case UNKNOWN_MODEL -> notFound(param, error.getMessage());
            case WRONG_MODEL_KIND ->
                new ApiException(400, "invalid_request_error", param, "wrong_model_kind", error.getMessage());
            case CONTEXT_LENGTH_EXCEEDED ->
                new ApiException(400, "invalid_request_error", param, "context_length_exceeded", error.getMessage());
            case OVER_LIMIT ->
                new ApiException(400, "invalid_request_error", param, "over_server_limit", error.getMessage());
            case INVALID_VALUE -> invalid(param, error.getMessage());
        };
    }

    /** 404: an unknown model or auxiliary model. */
    public static ApiException notFound(String param, String message) {
        return new ApiException(404, "invalid_request_error", param, "model_not_found", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
