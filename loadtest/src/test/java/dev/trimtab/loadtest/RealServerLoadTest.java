package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.loadtest.workload.GeneratedPrompts;
import dev.trimtab.loadtest.workload.LengthDistribution;
import dev.trimtab.loadtest.workload.StrategyMix;
import dev.trimtab.server.ServerFixture;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load tester against the real Trimtab server, started in-process on tiny models. */
class RealServerLoadTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName(
            "a closed-loop run against the real server succeeds for every strategy of the mix and breaks the figures down by strategy")
    void loadTestsTheRealServer() throws Exception {
        try (ServerFixture server = ServerFixture.start(directory)) {
            URI url = URI.create("http://127.0.0.1:" + server.server().port());
            Map<String, String> params = Map.of(
                    "best_of_n", "{\"n\": 2}",
                    "genarm", "{\"weights\": {\"positive\": 1.0}}",
                    "dera", "{\"lambda\": 0.5, \"aligned\": \"dpo\"}");
            Report report = LoadTest.run(LoadTestConfig.builder(url, ServerFixture.MODEL)
                    .closedLoop(3)
                    .requests(24)
                    .warmupRequests(2)
                    .mix(StrategyMix.parse("none:1,best_of_n:1,genarm:1,dera:1", params))
                    .prompts(new GeneratedPrompts(LengthDistribution.fixed(4)))
                    .maxTokens(LengthDistribution.fixed(6))
                    .extraBody(new com.fasterxml.jackson.databind.ObjectMapper()
                            .createObjectNode()
                            .put("ignore_eos", true))
                    .seed(5)
                    .build());
            StepReport step = report.steps().getFirst();
            assertThat(step.overall().errors())
                    .as("%s", step.overall().errorSamples())
                    .isEmpty();
            assertThat(step.overall().succeeded()).isEqualTo(24);
            assertThat(step.overall().outputTokens()).isEqualTo(24 * 6);
            assertThat(step.strategies())
                    .extracting(StrategyStats::strategy)
                    .containsExactlyInAnyOrder("none", "best_of_n", "genarm", "dera");
            assertThat(step.strategies()).allSatisfy(stats -> {
                assertThat(stats.succeeded()).isPositive();
                assertThat(stats.ttft().p50Ms()).isPositive();
            });
            assertThat(step.strategies().stream()
                            .mapToLong(StrategyStats::succeeded)
                            .sum())
                    .isEqualTo(24);
        }
    }
}
