package dev.trimtab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.server.ServerFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission, disconnects and shutdown, on a base model slow enough that requests take seconds. */
class ServerUnderLoadTest {
    private static final DecoderSpec SLOW_BASE = DecoderSpec.gpt2(6, 192, 4, TinyModels.demoVocabSize() + 3, 4096);
    private static final String LONG_REQUEST =
            "{\"model\": \"tiny\", \"prompt\": \"Once\", \"max_tokens\": 4000, \"ignore_eos\": true, \"stream\": true}";

    @TempDir
    Path directory;

    @Test
    @DisplayName(
            "beyond the running rows and the queue, requests get 429 with Retry-After at once, and the server stays healthy")
    void floodGets429() throws Exception {
        try (ServerFixture server = ServerFixture.start(directory, "", 1, 2, SLOW_BASE)) {
            // One at a time: three sent at once can all reach the queue before the first is admitted,
            // and the third would then find it full.
            List<Socket> streams = new ArrayList<>();
            streams.add(openStream(server, LONG_REQUEST));
            awaitMetric(server, "vllm:num_requests_running", 1.0);
            streams.add(openStream(server, LONG_REQUEST));
            awaitMetric(server, "vllm:num_requests_waiting", 1.0);
            streams.add(openStream(server, LONG_REQUEST));
            awaitMetric(server, "vllm:num_requests_waiting", 2.0);
            HttpResponse<String> refused = server.post("/v1/completions", LONG_REQUEST);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(refused.body()).contains("\"code\":\"queue_full\"");
            for (Socket stream : streams) {
                stream.close();
            }
            awaitMetric(server, "vllm:num_requests_running", 0.0);
            awaitMetric(server, "vllm:num_requests_waiting", 0.0);
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("a client that disconnects mid-stream has its request cancelled and its rows freed within a step")
    void disconnectCancels() throws Exception {
        try (ServerFixture server = ServerFixture.start(directory, "", 4, 4, SLOW_BASE)) {
            Socket stream = openStream(server, LONG_REQUEST);
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
            while (!reader.readLine().startsWith("data: ")) {
                // the status line and headers, until the first event
            }
            awaitMetric(server, "vllm:num_requests_running", 1.0);
            long closed = System.nanoTime();
            stream.close();
            awaitMetric(server, "vllm:num_requests_running", 0.0);
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(2));
            assertThat(metric(server.get("/metrics").body(), "vllm:generation_tokens_total"))
                    .isZero();
        }
    }

    @Test
    @DisplayName("on shutdown, in-flight requests finish within the drain time while new ones are refused")
    void gracefulShutdown() throws Exception {
        ServerFixture server = ServerFixture.start(directory, "", 4, 4, SLOW_BASE);
        String request =
                "{\"model\": \"tiny\", \"prompt\": \"Once\", \"max_tokens\": 200, \"ignore_eos\": true, \"stream\": true}";
        CompletableFuture<HttpResponse<String>> inFlight = server.client()
                .sendAsync(
                        HttpRequest.newBuilder(server.uri("/v1/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString(request))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        awaitMetric(server, "vllm:num_requests_running", 1.0);
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
            try {
                server.server().shutdown(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitStatus(server, "/health", 503);
        assertThat(server.post("/v1/completions", LONG_REQUEST).statusCode()).isEqualTo(503);
        HttpResponse<String> finished = inFlight.get();
        assertThat(finished.body()).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        shutdown.get();
    }

    @Test
    @DisplayName(
            "with a drain delay, /health turns 503 at once while requests are still served, and they are refused only after the delay")
    void drainDelay() throws Exception {
        ServerFixture server = ServerFixture.start(directory, "  drain_delay_seconds: 2\n", 4, 4);
        String request = "{\"model\": \"tiny\", \"prompt\": \"Once\", \"max_tokens\": 2}";
        long start = System.nanoTime();
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
            try {
                server.server().close();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitStatus(server, "/health", 503);
        assertThat(server.get("/health").body()).contains("draining");
        HttpResponse<String> admitted = server.post("/v1/completions", request);
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        HttpResponse<String> refused = server.post("/v1/completions", request);
        while (refused.statusCode() == 200) {
            Thread.sleep(10);
            refused = server.post("/v1/completions", request);
        }
        long refusedAfterMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("server_draining");
        assertThat(refusedAfterMs).as("first refusal after the 2 s delay").isGreaterThanOrEqualTo(2000);
        shutdown.get();
    }

    private static Socket openStream(ServerFixture server, String body) throws Exception {
        Socket socket = new Socket("127.0.0.1", server.server().port());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(
                ("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                                + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    private static void awaitMetric(ServerFixture server, String name, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            value = metric(server.get("/metrics").body(), name);
            if (value == expected) return;
            Thread.sleep(10);
        }
        assertThat(value).as(name).isEqualTo(expected);
    }

    private static void awaitStatus(ServerFixture server, String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && server.get(path).statusCode() != status) {
            Thread.sleep(10);
        }
        assertThat(server.get(path).statusCode()).isEqualTo(status);
    }

    /** The sum of a metric's samples in a Prometheus text body (0 when absent). */
    private static double metric(String body, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$")
                .matcher(body);
        double sum = 0;
        while (matcher.find()) sum += Double.parseDouble(matcher.group(2));
        return sum;
    }
}
