package dev.trimtab.server.api;

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
