package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.loadtest.workload.LengthDistribution;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A one-slot server taking 40 ms per request sustains 25 requests/s. At 10 and 20 requests/s nothing queues; at 100
 * each request waits 30 ms longer than the one before, so of 10 measured requests (after two warm-up requests that
 * open the connections) at most 4 stay within a 200 ms E2E bound, far below the 80% the SLO asks for.
 */
class SweepTest {

    @BeforeAll
    static void warmUp() {
        FakeCompletionsServer.warmUpJvm();
    }

    private static LoadTestConfig.Builder sweep(FakeCompletionsServer fake) {
        return LoadTestConfig.builder(fake.url(), "fake")
                .openLoop(new Arrivals.Constant(), 10, 20, 100, 200)
                .maxTokens(LengthDistribution.fixed(2))
                .warmupRequests(2)
                .requests(10);
    }

    @Test
    @DisplayName("A sweep stops at the first load that breaks the SLO and reports the one before as sustainable")
    void stopsWhereTheSloBreaks() {
        Report report;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(20), Duration.ofMillis(20), true)) {
            report = LoadTest.run(sweep(fake)
                    .slo(new Slo(Map.of(SloMetric.E2E, Duration.ofMillis(200)), 0.8))
                    .build());
        }
        assertThat(report.steps()).extracting(StepReport::offered).containsExactly(10.0, 20.0, 100.0);
        assertThat(report.steps()).extracting(StepReport::sloMet).containsExactly(true, true, false);
        assertThat(report.maxSustainableLoad()).isEqualTo(20.0);
        assertThat(report.verdict())
                .isEqualTo("max sustainable load 20 req/s (constant 20 req/s); the SLO broke at constant 100 req/s");
        assertThat(report.headline().offered()).isEqualTo(20.0);
        assertThat(report.steps().get(2).overall().goodput().attainment()).isLessThan(0.8);
        assertThat(report.steps().get(0).overall().goodput().attainment()).isGreaterThanOrEqualTo(0.8);
        assertThat(report.sloThresholdsMs()).containsExactly(Map.entry("e2e", 200.0));
    }

    @Test
    @DisplayName("Without an SLO a sweep runs every load and judges none")
    void withoutSloRunsEveryLoad() {
        Report report;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(1), Duration.ofMillis(1), false)) {
            report = LoadTest.run(sweep(fake).build());
        }
        assertThat(report.steps()).hasSize(4);
        assertThat(report.maxSustainableLoad()).isNaN();
        assertThat(report.verdict()).startsWith("no SLO given");
    }
}
