package dev.trimtab.loadtest.http;

import dev.trimtab.loadtest.Outcome;
import dev.trimtab.loadtest.Outcome.Kind;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/** One request's life on the event loop: connect, send, read the event stream, end exactly once. */
final class Exchange {

    private static final int BODY_EXCERPT = 200;

    private final Vertx vertx;
    private final Duration timeout;
    private final Consumer<StreamResult> onEnd;
    private final SseParser parser = new SseParser(this::onEvent);
    private long[] chunks = new long[16];
    private int chunkCount;
    private long bufferNanos;
    private long sentNanos;
    private long timer;
    private HttpClientRequest request;
    private int status;
    private boolean done;
    private boolean ended;
    private int completionTokens = -1;
    private int promptTokens = -1;
    private String malformed;
    private String serverError;

    Exchange(Vertx vertx, Duration timeout, Consumer<StreamResult> onEnd) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.onEnd = onEnd;
    }

    void start(HttpClientAgent client, RequestOptions options, Buffer body) {
        sentNanos = System.nanoTime();
        timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> onTimeout());
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                fail(Kind.CONNECTION, "cannot connect: " + describe(connected.cause()));
            } else if (ended) {
                connected.result().reset();
            } else {
                request = connected.result();
                request.send(body).onComplete(this::onResponse);
            }
        });
    }

    private void onResponse(AsyncResult<HttpClientResponse> answered) {
        if (ended) {
            return;
        }
        if (answered.failed()) {
            fail(Kind.CONNECTION, "no response: " + describe(answered.cause()));
            return;
        }
        HttpClientResponse response = answered.result();
        status = response.statusCode();
        if (isEventStream(response)) {
            response.handler(this::onBuffer);
            response.exceptionHandler(e -> fail(Kind.CONNECTION, "stream broke: " + describe(e)));
            response.endHandler(ignored -> onStreamEnd());
        }
    }

    /** A 2xx event stream; otherwise the body is read (freeing the connection) and the request failed. */
    private boolean isEventStream(HttpClientResponse response) {
        if (status / 100 != 2) {
            response.body().onComplete(body -> fail(Kind.HTTP_STATUS, excerpt(body)));
            return false;
        }
        String type = response.getHeader("content-type");
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            String problem = "answer is " + type + ", not text/event-stream (does the server stream with \"stream\": "
                    + "true?): ";
            response.body().onComplete(body -> fail(Kind.MALFORMED_SSE, problem + excerpt(body)));
            return false;
        }
        return true;
    }

    private void onBuffer(Buffer buffer) {
        bufferNanos = System.nanoTime();
        if (malformed == null) {
            try {
                parser.feed(buffer.getBytes());
            } catch (MalformedSseException e) {
                malformed = e.getMessage();
            }
        }
    }

    private void onEvent(String data) {
        if (done || malformed != null || serverError != null) {
            return;
        }
        if (data.strip().equals(CompletionChunk.DONE)) {
            done = true;
            return;
        }
        try {
            record(CompletionChunk.parse(data));
        } catch (MalformedSseException e) {
            malformed = e.getMessage();
        }
    }

    private void record(CompletionChunk chunk) {
        if (chunk.error() != null) {
            serverError = chunk.error();
            return;
        }
        if (chunk.hasText()) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
            }
            chunks[chunkCount++] = bufferNanos;
        }
        if (chunk.completionTokens() >= 0) {
            completionTokens = chunk.completionTokens();
        }
        if (chunk.promptTokens() >= 0) {
            promptTokens = chunk.promptTokens();
        }
    }

    private void onStreamEnd() {
        if (malformed == null) {
            parser.end();
        }
        if (malformed != null) {
            fail(Kind.MALFORMED_SSE, malformed);
        } else if (serverError != null) {
            fail(Kind.SERVER_ERROR, serverError);
        } else if (!done) {
            fail(Kind.INCOMPLETE_STREAM, "stream ended without data: [DONE] after " + chunkCount + " text chunks");
        } else {
            end(Outcome.ok(status));
        }
    }

    private void onTimeout() {
        if (!ended) {
            fail(Kind.TIMEOUT, "no complete answer within " + timeout.toMillis() + " ms");
            if (request != null) {
                request.reset();
            }
        }
    }

    private void fail(Kind kind, String detail) {
        end(Outcome.failed(kind, status, detail));
    }

    private void end(Outcome outcome) {
        if (ended) {
            return;
        }
        ended = true;
        long endNanos = System.nanoTime();
        vertx.cancelTimer(timer);
        onEnd.accept(new StreamResult(
                sentNanos, Arrays.copyOf(chunks, chunkCount), endNanos, completionTokens, promptTokens, outcome));
    }

    private static String excerpt(AsyncResult<Buffer> body) {
        if (body.failed()) {
            return "body unreadable: " + describe(body.cause());
        }
        String text = body.result().toString().strip().replaceAll("\\s+", " ");
        return text.length() <= BODY_EXCERPT ? text : text.substring(0, BODY_EXCERPT) + "...";
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
