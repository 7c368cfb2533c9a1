package dev.trimtab.loadtest.http;

/** A stream that is not a well-formed completions event stream; the request counts as {@code malformed_sse}. */
public final class MalformedSseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedSseException(String message) {
        super(message);
    }
}
