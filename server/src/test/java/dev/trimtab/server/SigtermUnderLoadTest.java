package dev.trimtab.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM with streams of every strategy in flight, on a server in a process of its own: the JVM
 * exits 0 without a native crash, every stream ends with its last chunk or an error event, and
 * requests during the drain get 503 saying so. One trial by default; {@code
 * -Dtrimtab.shutdown.trials=10} runs more (each starts a fresh process).
 */
class SigtermUnderLoadTest {
    private static final int STREAMS = 36;
    private static final List<String> STRATEGIES = List.of(
            "{\"strategy\": \"none\"}",
            "{\"strategy\": \"best_of_n\", \"n\": 2, \"reward_model\": \"positive-rm\"}",
            "{\"strategy\": \"args\", \"k\": 4, \"reward_model\": \"positive-scorer\"}",
            "{\"strategy\": \"cd\", \"k\": 4, \"scorer\": \"positive-prefix\"}",
            "{\"strategy\": \"dera\", \"lambda\": 0.5, \"aligned\": \"dpo\"}",
            "{\"strategy\": \"genarm\", \"weights\": {\"positive\": 1.0}}");

    @TempDir
    static Path directory;

    static Path config;

    @BeforeAll
    static void writeModels() throws IOException {
        DecoderSpec base = DecoderSpec.gpt2(4, 128, 4, TinyModels.demoVocabSize() + 3, 2048);
        config = ServerFixture.writeBundle(directory, "  drain_seconds: 1\n", 96, 64, base, 2048);
    }

    @TestFactory
    @DisplayName("SIGTERM under load: exit 0, no crash log, every stream ends with its last chunk or an error event")
    Stream<DynamicTest> sigtermUnderLoad() {
        int trials = Integer.getInteger("trimtab.shutdown.trials", 1);
        return IntStream.rangeClosed(1, trials)
                .mapToObj(trial -> DynamicTest.dynamicTest("trial " + trial, () -> trial(trial)));
    }

    private static void trial(int trial) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        try (ServerProcess server = ServerProcess.start(config, directory.resolve("trial-" + trial))) {
            CountDownLatch started = new CountDownLatch(STREAMS);
            List<CompletableFuture<String>> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                String body = "{\"model\": \"tiny\", \"prompt\": \"Once " + i + "\", \"max_tokens\": 1500,"
                        + " \"ignore_eos\": true, \"stream\": true, \"seed\": " + i + ", \"alignment\": "
                        + STRATEGIES.get(i % STRATEGIES.size()) + "}";
                streams.add(CompletableFuture.supplyAsync(() -> stream(client, server, body, started), readers));
            }
            assertThat(started.await(60, TimeUnit.SECONDS))
                    .as("every stream opened")
                    .isTrue();
            Thread.sleep(300);
            server.terminate();
            HttpResponse<String> refused = awaitRefusal(client, server);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            JsonNode error = ServerFixture.json(refused.body()).get("error");
            assertThat(error.get("message").asText()).contains("draining");
            assertThat(error.get("type").asText()).isEqualTo("server_error");

            int exit = server.awaitExit(Duration.ofSeconds(90));
            assertThat(server.crashLogs()).as(server.output()).isEmpty();
            assertThat(exit).as(server.output()).isZero();
            int cut = 0;
            for (CompletableFuture<String> stream : streams) {
                cut += assertEndedCleanly(stream.get(30, TimeUnit.SECONDS)) ? 1 : 0;
            }
            assertThat(cut).as("streams the shutdown cut after the drain time").isPositive();
        } finally {
            readers.shutdownNow();
        }
    }

    /** Reads a stream to its end; counts it as started once its first line (the headers are sent at once) arrives. */
    private static String stream(HttpClient client, ServerProcess server, String body, CountDownLatch started) {
        try {
            HttpResponse<InputStream> response = client.send(
                    HttpRequest.newBuilder(uri(server, "/v1/completions"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            started.countDown();
            StringBuilder text = new StringBuilder();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    text.append(line).append('\n');
                }
            }
            return response.statusCode() + "\n" + text;
        } catch (IOException e) {
            return "I/O error: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static HttpResponse<String> awaitRefusal(HttpClient client, ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(uri(server, "/v1/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || System.nanoTime() > deadline) return response;
            } catch (ConnectException e) {
                throw new AssertionError("the server stopped listening before it refused a request", e);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Status 200, then either the last chunk of a finished stream or an error event, then [DONE];
     * returns whether the stream was cut by the shutdown.
     */
    private static boolean assertEndedCleanly(String answer) throws IOException {
        assertThat(answer).startsWith("200\n").endsWith("data: [DONE]\n\n");
        List<JsonNode> events = ServerFixture.events(answer.substring(answer.indexOf('\n') + 1));
        assertThat(events).as(answer).isNotEmpty();
        JsonNode last = events.getLast();
        if (last.has("error")) {
            assertThat(last.at("/error/code").asText()).as(answer).isEqualTo("server_shutdown");
            return true;
        }
        assertThat(answer).contains("\"finish_reason\":\"length\"");
        return false;
    }

    private static URI uri(ServerProcess server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
