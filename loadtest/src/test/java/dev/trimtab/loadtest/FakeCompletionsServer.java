package dev.trimtab.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI completions server with scripted timing, on a free port of 127.0.0.1. Each request streams
 * {@code max_tokens} one-word chunks: the first {@code ttft} after the request starts, then one every
 * {@code tokenGap}, then a usage chunk and {@code data: [DONE]}. Token times are absolute deadlines from the start, so
 * timer lateness never accumulates within a request.
 *
 * <p>With {@code serial}, requests are served one at a time in arrival order, like a server with one slot: a request
 * starts when it has arrived and the one before it has finished, so queueing delay follows exactly from the script.
 *
 * <p>The prompt picks a misbehaviour: {@code status:503} answers that status, {@code malformed} streams a non-JSON
 * chunk, {@code no-done} ends without {@code [DONE]}, {@code reset} closes the connection after the first token,
 * {@code error-event} streams an error object, {@code hang} never answers, {@code json} answers one JSON object
 * instead of a stream.
 */
public final class FakeCompletionsServer implements AutoCloseable {

    /**
     * What the server observed of one request, in this JVM's System.nanoTime; {@code finishedNanos} is taken just
     * before the last bytes are written, so a client cannot see the end earlier.
     */
    public record Served(JsonNode body, long receivedNanos, long startedNanos, long[] tokenNanos, long finishedNanos) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean warm;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final long ttftNanos;
    private final long tokenGapNanos;
    private final boolean serial;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final List<Served> served = new ArrayList<>();
    private final List<java.util.Map<String, String>> headers = new ArrayList<>();
    private HttpServer server;
    private boolean busy;

    private FakeCompletionsServer(Duration ttft, Duration tokenGap, boolean serial) {
        this.ttftNanos = ttft.toNanos();
        this.tokenGapNanos = tokenGap.toNanos();
        this.serial = serial;
    }

    public static FakeCompletionsServer start(Duration ttft, Duration tokenGap, boolean serial) {
        FakeCompletionsServer fake = new FakeCompletionsServer(ttft, tokenGap, serial);
        fake.server = fake.vertx
                .createHttpServer()
                .requestHandler(fake::handle)
                .listen(0, "127.0.0.1")
                .await();
        return fake;
    }

    /**
     * Runs a short load once per JVM, so that class loading and the JIT's first compilations (a hundred
     * milliseconds and more on a busy machine) do not land inside a test's timed requests.
     */
    public static synchronized void warmUpJvm() {
        if (!warm) {
            try (FakeCompletionsServer fake = start(Duration.ofMillis(1), Duration.ofMillis(1), false)) {
                dev.trimtab.loadtest.LoadTest.run(dev.trimtab.loadtest.LoadTestConfig.builder(fake.url(), "warm-up")
                        .closedLoop(4)
                        .maxTokens(dev.trimtab.loadtest.workload.LengthDistribution.fixed(4))
                        .requests(40)
                        .build());
            }
            warm = true;
        }
    }

    /**
     * Serves until killed, for trying the CLI by hand: {@code PORT TTFT_MS TOKEN_GAP_MS [serial]}. Port 0 picks a
     * free one; the URL is printed.
     */
    public static void main(String[] args) throws InterruptedException {
        FakeCompletionsServer fake = new FakeCompletionsServer(
                Duration.ofMillis(Long.parseLong(args[1])),
                Duration.ofMillis(Long.parseLong(args[2])),
                args.length > 3 && args[3].equals("serial"));
        fake.server = fake.vertx
                .createHttpServer()
                .requestHandler(fake::handle)
                .listen(Integer.parseInt(args[0]), "127.0.0.1")
                .await();
        System.out.println(fake.url());
        Thread.currentThread().join();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** The requests served so far, in the order they finished. */
    public synchronized List<Served> served() {
        return List.copyOf(served);
    }

    /**
     * The path (as {@code :path}) and the content-type, accept and authorization headers of each request, in arrival
     * order (absent ones empty).
     */
    public synchronized List<java.util.Map<String, String>> headers() {
        return List.copyOf(headers);
    }

    private void handle(HttpServerRequest request) {
        long received = System.nanoTime();
        synchronized (this) {
            java.util.Map<String, String> seen = new java.util.TreeMap<>();
            for (String name : List.of("content-type", "accept", "authorization")) {
                seen.put(name, java.util.Objects.requireNonNullElse(request.getHeader(name), ""));
            }
            seen.put(":path", request.path());
            headers.add(seen);
        }
        request.body().onSuccess(buffer -> {
            JsonNode body = parse(buffer.getBytes());
            Runnable job = () -> serve(request.response(), body, received);
            if (serial) {
                dispatchSerially(job);
            } else {
                job.run();
            }
        });
    }

    /** One slot: connections may live on different event loops, so the slot is taken under the lock. */
    private synchronized void dispatchSerially(Runnable job) {
        if (busy) {
            waiting.add(job);
        } else {
            busy = true;
            job.run();
        }
    }

    private void serve(HttpServerResponse response, JsonNode body, long received) {
        long started = System.nanoTime();
        String prompt = body.path("prompt").asText();
        if (prompt.startsWith("status:")) {
            long finishedAt = System.nanoTime();
            response.setStatusCode(Integer.parseInt(prompt.substring(7))).end("{\"error\":{\"message\":\"scripted\"}}");
            finished(new Served(body, received, started, new long[0], finishedAt));
            return;
        }
        if (prompt.equals("hang")) {
            return;
        }
        if (prompt.equals("json")) {
            long finishedAt = System.nanoTime();
            response.putHeader("content-type", "application/json").end("{\"choices\":[{\"text\":\"whole answer\"}]}");
            finished(new Served(body, received, started, new long[0], finishedAt));
            return;
        }
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        int tokens = body.path("max_tokens").asInt(1);
        streamToken(response, body, prompt, received, started, new long[tokens], 0);
    }

    private void streamToken(
            HttpServerResponse response,
            JsonNode body,
            String prompt,
            long received,
            long started,
            long[] tokenTimes,
            int k) {
        at(started + ttftNanos + k * tokenGapNanos, () -> {
            tokenTimes[k] = System.nanoTime();
            response.write(chunk(prompt, k));
            if (prompt.equals("reset") && k == 0) {
                response.reset();
                finished(new Served(body, received, started, tokenTimes, tokenTimes[k]));
            } else if (k + 1 < tokenTimes.length) {
                streamToken(response, body, prompt, received, started, tokenTimes, k + 1);
            } else {
                long finishedAt = System.nanoTime();
                finish(response, prompt, tokenTimes.length);
                finished(new Served(body, received, started, tokenTimes, finishedAt));
            }
        });
    }

    private static String chunk(String prompt, int k) {
        return switch (prompt) {
            case "malformed" -> "data: {\"choices\": [{\"text\": \"oops\"\n\n";
            case "error-event" -> "data: {\"error\": {\"message\": \"scripted failure\"}}\n\n";
            default ->
                "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" w" + k
                        + "\",\"finish_reason\":null}],\"usage\":null}\n\n";
        };
    }

    private static void finish(HttpServerResponse response, String prompt, int tokens) {
        if (!prompt.equals("no-done")) {
            response.write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":" + tokens
                    + ",\"total_tokens\":" + (tokens + 3) + "}}\n\n");
            response.write("data: [DONE]\n\n");
        }
        response.end();
    }

    private synchronized void finished(Served request) {
        served.add(request);
        if (serial) {
            Runnable next = waiting.poll();
            busy = next != null;
            if (next != null) {
                next.run();
            }
        }
    }

    /** Runs {@code action} on the event loop at {@code deadline} (System.nanoTime), or now if it has passed. */
    private void at(long deadline, Runnable action) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            action.run();
        } else {
            vertx.timer(wait, TimeUnit.NANOSECONDS).onSuccess(ignored -> action.run());
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
