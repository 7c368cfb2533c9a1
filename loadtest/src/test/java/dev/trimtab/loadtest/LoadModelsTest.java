package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.loadtest.FakeCompletionsServer.Served;
import dev.trimtab.loadtest.workload.LengthDistribution;
import dev.trimtab.loadtest.workload.StrategyMix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The load models, run lengths and per-strategy figures against a fake server with a known script. */
class LoadModelsTest {

    /** Timers fire late, never early; a loopback hop on a busy machine: see CoordinatedOmissionTest. */
    private static final double HOP_MS = 20;

    @BeforeAll
    static void warmUp() {
        FakeCompletionsServer.warmUpJvm();
    }

    @Test
    @DisplayName("A closed loop of 4 clients on an 80 ms script shows TTFT 30 ms, ITL and TPOT 10 ms, 50 req/s at most")
    void closedLoopFigures() {
        StepReport step;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(30), Duration.ofMillis(10), false)) {
            step = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .closedLoop(4)
                            .maxTokens(LengthDistribution.fixed(6))
                            .requests(40)
                            .build())
                    .steps()
                    .getFirst();
        }
        StrategyStats all = step.overall();
        assertThat(all.succeeded()).isEqualTo(40);
        assertThat(all.outputTokens()).isEqualTo(240);
        assertThat(all.promptTokens()).isEqualTo(120);
        assertThat(all.ttft().p50Ms()).isBetween(30.0, 30 + HOP_MS);
        assertThat(all.itl().count()).isEqualTo(200);
        assertThat(all.itl().p50Ms()).isBetween(10 - HOP_MS / 4, 10 + HOP_MS / 4);
        assertThat(all.tpot().p50Ms()).isBetween(10 - HOP_MS / 4, 10 + HOP_MS / 4);
        assertThat(all.e2e().p50Ms()).isBetween(80.0, 80 + HOP_MS);
        assertThat(all.queue().maxMs()).isLessThan(HOP_MS);
        assertThat(all.requestsPerSecond()).isBetween(25.0, 50.0);
        assertThat(all.outputTokensPerSecond())
                .isEqualTo(6 * all.requestsPerSecond(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(step.sloMet()).isTrue();
    }

    @Test
    @DisplayName("Warm-up requests are sent but not measured")
    void warmupIsNotMeasured() {
        StepReport step;
        int served;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(1), Duration.ofMillis(1), false)) {
            step = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .closedLoop(2)
                            .maxTokens(LengthDistribution.fixed(2))
                            .warmupRequests(5)
                            .requests(10)
                            .keepRequests(true)
                            .build())
                    .steps()
                    .getFirst();
            served = fake.served().size();
        }
        assertThat(served).isEqualTo(15);
        assertThat(step.warmupRequests()).isEqualTo(5);
        assertThat(step.overall().requests()).isEqualTo(10);
        assertThat(step.requests())
                .filteredOn(RequestRecord::warmup)
                .extracting(RequestRecord::index)
                .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    @DisplayName("An open loop's warm-up and duration are cut by scheduled time: 200 ms warm-up, 400 ms at 50/s")
    void durationsCountScheduledRequests() {
        StepReport step;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(1), Duration.ofMillis(1), false)) {
            step = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .openLoop(new Arrivals.Constant(), 50)
                            .maxTokens(LengthDistribution.fixed(2))
                            .warmup(Duration.ofMillis(200))
                            .duration(Duration.ofMillis(400))
                            .build())
                    .steps()
                    .getFirst();
        }
        assertThat(step.warmupRequests()).isEqualTo(10);
        assertThat(step.overall().requests()).isEqualTo(20);
        assertThat(step.measuredSeconds()).isBetween(0.38, 0.38 + 3 * HOP_MS / 1000);
    }

    @Test
    @DisplayName("Each request's strategy is recorded, and the figures per strategy match what the server received")
    void strategiesAreRecorded() {
        StepReport step;
        List<Served> served;
        StrategyMix mix = StrategyMix.parse("none:2,genarm:1,best_of_n:1", Map.of("best_of_n", "{\"n\": 8}"));
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(1), Duration.ofMillis(1), false)) {
            step = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                            .closedLoop(4)
                            .mix(mix)
                            .maxTokens(LengthDistribution.fixed(2))
                            .requests(60)
                            .build())
                    .steps()
                    .getFirst();
            served = fake.served();
        }
        Map<String, Long> received = served.stream()
                .map(s -> s.body().path("alignment").path("strategy").asText())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Long> reported =
                step.strategies().stream().collect(Collectors.toMap(StrategyStats::strategy, StrategyStats::requests));
        assertThat(reported).isEqualTo(received).containsOnlyKeys("none", "genarm", "best_of_n");
        assertThat(step.strategies())
                .extracting(StrategyStats::strategy)
                .containsExactly("none", "genarm", "best_of_n");
        assertThat(served.stream()
                        .map(Served::body)
                        .filter(b ->
                                b.path("alignment").path("strategy").asText().equals("best_of_n")))
                .allMatch(b -> b.path("alignment").path("n").asInt() == 8);
        assertThat(step.strategies().stream()
                        .mapToLong(StrategyStats::succeeded)
                        .sum())
                .isEqualTo(60);
    }

    @Test
    @DisplayName(
            "Requests go to the URL's path prefix and the endpoint, as JSON, asking for an event stream, with the key")
    void requestHeaders() {
        try (FakeCompletionsServer fake = FakeCompletionsServer.start(Duration.ZERO, Duration.ZERO, false)) {
            StepReport step = LoadTest.run(LoadTestConfig.builder(fake.url().resolve("/proxy/"), "fake")
                            .apiKey("sk-test")
                            .closedLoop(1)
                            .maxTokens(LengthDistribution.fixed(1))
                            .requests(2)
                            .build())
                    .steps()
                    .getFirst();
            assertThat(step.overall().succeeded()).isEqualTo(2);
            assertThat(fake.headers())
                    .hasSize(2)
                    .allMatch(h -> h.equals(Map.of(
                            ":path",
                            "/proxy/v1/completions",
                            "content-type",
                            "application/json",
                            "accept",
                            "text/event-stream",
                            "authorization",
                            "Bearer sk-test")));
        }
    }

    @Test
    @DisplayName("The same seed sends the same requests; another seed does not")
    void seedsReplay() {
        assertThat(bodies(5)).isEqualTo(bodies(5)).isNotEqualTo(bodies(6));
    }

    private static List<JsonNode> bodies(long seed) {
        try (FakeCompletionsServer fake = FakeCompletionsServer.start(Duration.ZERO, Duration.ZERO, false)) {
            LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                    .closedLoop(1)
                    .mix(StrategyMix.parse("none:1,cd:1,dera:1", Map.of()))
                    .maxTokens(LengthDistribution.parse("x", "uniform:1:4"))
                    .prompts(new dev.trimtab.loadtest.workload.GeneratedPrompts(
                            LengthDistribution.parse("x", "uniform:1:9")))
                    .seed(seed)
                    .requests(8)
                    .build());
            return fake.served().stream().map(Served::body).toList();
        }
    }
}
