package dev.trimtab.loadtest;

import java.util.Locale;

/**
 * How a request ended.
 *
 * @param kind success or the kind of failure
 * @param status the HTTP status, or 0 where none arrived
 * @param detail a short human-readable cause, empty on success
 */
public record Outcome(Kind kind, int status, String detail) {

    /** Success and the failures a load test counts instead of crashing on. */
    public enum Kind {
        /** A 2xx stream that ended with {@code data: [DONE]}. */
        OK,
        /** A non-2xx answer. */
        HTTP_STATUS,
        /** Could not connect, or the connection broke before the stream ended. */
        CONNECTION,
        /** No complete answer within the request timeout. */
        TIMEOUT,
        /** Waited in the client's queue (max in flight reached) longer than the request timeout; never sent. */
        QUEUE_TIMEOUT,
        /** A {@code data:} payload that is not a completions chunk. */
        MALFORMED_SSE,
        /** A stream that ended without {@code data: [DONE]}. */
        INCOMPLETE_STREAM,
        /** The server sent an {@code {"error": ...}} event inside the stream. */
        SERVER_ERROR
    }

    private static final Outcome SUCCESS = new Outcome(Kind.OK, 200, "");

    public Outcome {
        detail = detail == null ? "" : detail;
    }

    public static Outcome ok(int status) {
        return status == 200 ? SUCCESS : new Outcome(Kind.OK, status, "");
    }

    public static Outcome failed(Kind kind, int status, String detail) {
        return new Outcome(kind, status, detail);
    }

    public boolean isOk() {
        return kind == Kind.OK;
    }

    /** The key errors are counted under: {@code http_503}, {@code connection}, {@code malformed_sse}, ... */
    public String label() {
        return kind == Kind.HTTP_STATUS ? "http_" + status : kind.name().toLowerCase(Locale.ROOT);
    }
}
