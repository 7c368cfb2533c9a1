package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.trimtab.loadtest.workload.JsonlPrompts;
import dev.trimtab.loadtest.workload.LengthDistribution;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures are counted by kind and reported; none of them stops the run. */
class ErrorAccountingTest {

    @TempDir
    Path directory;

    @BeforeAll
    static void warmUp() {
        FakeCompletionsServer.warmUpJvm();
    }

    private JsonlPrompts prompts(String... prompts) throws IOException {
        Path file = directory.resolve("prompts.jsonl");
        Files.write(
                file,
                java.util.Arrays.stream(prompts)
                        .map(p -> "{\"prompt\": \"" + p + "\"}")
                        .toList());
        return JsonlPrompts.load(file);
    }

    @Test
    @DisplayName("Non-2xx answers, malformed SSE, missing [DONE], resets and error events are each counted")
    void everyFailureKindIsCounted() throws IOException {
        StepReport step;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(5), Duration.ofMillis(2), false)) {
            step = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .prompts(prompts(
                                    "ok", "status:503", "malformed", "no-done", "reset", "error-event", "status:400"))
                            .maxTokens(LengthDistribution.fixed(3))
                            .closedLoop(3)
                            .requests(21)
                            .build())
                    .steps()
                    .getFirst();
        }
        StrategyStats all = step.overall();
        assertThat(all.requests()).isEqualTo(21);
        assertThat(all.succeeded()).isEqualTo(3);
        assertThat(all.errors())
                .containsOnly(
                        entry("http_503", 3L),
                        entry("http_400", 3L),
                        entry("malformed_sse", 3L),
                        entry("incomplete_stream", 3L),
                        entry("connection", 3L),
                        entry("server_error", 3L));
        assertThat(all.errorSamples())
                .containsEntry("http_503", "{\"error\":{\"message\":\"scripted\"}}")
                .containsEntry("server_error", "scripted failure")
                .containsEntry("incomplete_stream", "stream ended without data: [DONE] after 3 text chunks");
        assertThat(all.errorSamples().get("malformed_sse")).startsWith("data is not JSON");
        assertThat(all.e2e().count()).isEqualTo(3);
        assertThat(all.outputTokens()).isEqualTo(9);
        assertThat(step.sloMet()).isFalse();
    }

    @Test
    @DisplayName("A server that answers one JSON object instead of a stream is reported as such")
    void notAStream() throws IOException {
        StrategyStats all;
        try (FakeCompletionsServer fake = FakeCompletionsServer.start(Duration.ZERO, Duration.ZERO, false)) {
            all = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .prompts(prompts("json"))
                            .closedLoop(1)
                            .requests(2)
                            .build())
                    .steps()
                    .getFirst()
                    .overall();
        }
        assertThat(all.errors()).containsOnly(entry("malformed_sse", 2L));
        assertThat(all.errorSamples().get("malformed_sse"))
                .isEqualTo("answer is application/json, not text/event-stream (does the server stream with "
                        + "\"stream\": true?): {\"choices\":[{\"text\":\"whole answer\"}]}");
    }

    @Test
    @DisplayName("An unreachable server gives a report of connection errors, not an exception")
    void unreachableServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Report report = LoadTest.run(LoadTestConfig.builder(URI.create("http://127.0.0.1:" + port), "m")
                .openLoop(new Arrivals.Constant(), 100)
                .requests(10)
                .build());
        StrategyStats all = report.steps().getFirst().overall();
        assertThat(all.requests()).isEqualTo(10);
        assertThat(all.errors()).containsOnly(entry("connection", 10L));
        assertThat(all.errorSamples().get("connection")).contains("Connection refused");
        assertThat(all.e2e()).isEqualTo(Latency.EMPTY);
        assertThat(report.succeeded()).isZero();
    }

    @Test
    @DisplayName("A request without an answer times out; one waiting too long for a slot is never sent")
    void timeouts() throws IOException {
        StepReport step;
        List<FakeCompletionsServer.Served> served;
        try (FakeCompletionsServer fake = FakeCompletionsServer.start(Duration.ZERO, Duration.ZERO, false)) {
            // 200 ms apart, one slot, 500 ms timeout: request 0 times out at 500 ms, request 1 (waited 300 ms) is
            // sent then and times out at 1000 ms, request 2 has waited 600 ms by then and is dropped unsent.
            step = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .prompts(prompts("hang"))
                            .openLoop(new Arrivals.Constant(), 5)
                            .maxInFlight(1)
                            .timeout(Duration.ofMillis(500))
                            .requests(3)
                            .keepRequests(true)
                            .build())
                    .steps()
                    .getFirst();
            served = fake.served();
        }
        assertThat(step.overall().errors()).containsOnly(entry("timeout", 2L), entry("queue_timeout", 1L));
        assertThat(step.overall().errorSamples().get("timeout")).isEqualTo("no complete answer within 500 ms");
        assertThat(step.overall().errorSamples().get("queue_timeout"))
                .matches("waited \\d+ ms for one of 1 slots \\(max in flight\\); never sent");
        assertThat(served).isEmpty();
        // request 0 fails at 500 ms at the earliest, request 1 (sent at 500 ms) at 1000 ms
        ErrorSpan timedOut = step.overall().errorSpans().get("timeout");
        assertThat(timedOut.firstSeconds()).isGreaterThanOrEqualTo(0.5).isLessThan(timedOut.lastSeconds());
        assertThat(timedOut.lastSeconds()).isGreaterThanOrEqualTo(1.0);
        RequestRecord dropped = step.requests().get(2);
        assertThat(dropped.outcome().kind()).isEqualTo(Outcome.Kind.QUEUE_TIMEOUT);
        assertThat(dropped.queueNanos()).isGreaterThan(Duration.ofMillis(500).toNanos());
    }
}
