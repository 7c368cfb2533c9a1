package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.loadtest.FakeCompletionsServer.Served;
import dev.trimtab.loadtest.workload.LengthDistribution;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An open loop at 25 requests/s against a one-slot server whose every request takes 80 ms (TTFT 40 ms, then four
 * more tokens 10 ms apart): the server falls 40 ms further behind with each request, so request {@code i}, scheduled
 * at {@code 40 i} ms, finishes at {@code 80 (i + 1)} ms and its latency is {@code 80 + 40 i} ms, no matter whether it
 * waited in the client (max in flight 1) or in the server. A tester that measured from the actual send would report
 * 80 ms for every request.
 */
class CoordinatedOmissionTest {

    private static final long MS = 1_000_000;
    private static final long SERVICE = 80 * MS;
    private static final long INTERVAL = 40 * MS;
    private static final int REQUESTS = 12;
    /**
     * How long the client may see a moment after the server recorded it: one loopback hop, or a thread preempted on a
     * busy machine (seen: 7 ms on 2 shared cores). The lower bounds are exact: timers never fire early.
     */
    private static final long HOP = 20 * MS;

    @BeforeAll
    static void warmUpTheJvm() {
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(1), Duration.ofMillis(1), false)) {
            LoadTest.run(config(fake, 4).requests(20).build());
        }
    }

    private static LoadTestConfig.Builder config(FakeCompletionsServer fake, int maxInFlight) {
        return LoadTestConfig.builder(fake.url(), "fake")
                .openLoop(new Arrivals.Constant(), 25)
                .maxTokens(LengthDistribution.fixed(5))
                .maxInFlight(maxInFlight)
                .keepRequests(true);
    }

    @ParameterizedTest(name = "max in flight {0}")
    @ValueSource(ints = {1, 64})
    @DisplayName("Latency counts from the scheduled send time, whether requests queue in the client or the server")
    void latencyCountsFromTheScheduledTime(int maxInFlight) {
        StepReport step;
        List<Served> served;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(40), Duration.ofMillis(10), true)) {
            step = LoadTest.run(config(fake, maxInFlight).requests(REQUESTS).build())
                    .steps()
                    .getFirst();
            served = fake.served();
        }
        List<RequestRecord> requests = sorted(step.requests());
        assertThat(requests).hasSize(REQUESTS).allMatch(r -> r.outcome().isOk());
        assertThat(served).hasSize(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            RequestRecord request = requests.get(i);
            long scheduled = step.originNanoTime() + request.scheduledNanos();
            long serverFinished = served.get(i).finishedNanos() - scheduled;
            assertThat(request.scheduledNanos())
                    .as("scheduled time of request %d", i)
                    .isEqualTo(i * INTERVAL);
            assertThat(request.e2eNanos())
                    .as("latency of request %d: at least the script's, %d ms", i, expectedLatency(i) / MS)
                    .isGreaterThanOrEqualTo(expectedLatency(i));
            assertThat(request.e2eNanos())
                    .as("latency of request %d: the server's finish, from the scheduled time", i)
                    .isBetween(serverFinished, serverFinished + HOP);
            if (maxInFlight == 1) {
                assertThat(request.serviceNanos())
                        .as("what an uncorrected tester would report for request %d", i)
                        .isBetween(SERVICE, SERVICE + HOP);
            } else {
                assertThat(request.queueNanos())
                        .as("client-side wait of request %d", i)
                        .isLessThan(HOP);
            }
        }
        if (maxInFlight == 1) {
            for (int i = 1; i < REQUESTS; i++) {
                assertThat(requests.get(i).sentNanos() - requests.get(i - 1).endNanos())
                        .as("request %d leaves as soon as request %d frees the slot", i, i - 1)
                        .isBetween(0L, HOP);
            }
        }
        assertThat(step.overall().e2e().maxMs()).isLessThan(2.0 * expectedLatency(REQUESTS - 1) / MS);
    }

    /** The script: request {@code i} finishes at {@code (i + 1) * SERVICE} and was scheduled at {@code i * INTERVAL}. */
    private static long expectedLatency(int i) {
        return SERVICE + i * (SERVICE - INTERVAL);
    }

    @ParameterizedTest(name = "max in flight {0}")
    @ValueSource(ints = {1, 64})
    @DisplayName("The reported percentiles are the nearest-rank percentiles of the requests' own latencies")
    void percentilesMatchTheRequests(int maxInFlight) {
        StepReport step;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(40), Duration.ofMillis(10), true)) {
            step = LoadTest.run(config(fake, maxInFlight).requests(REQUESTS).build())
                    .steps()
                    .getFirst();
        }
        List<RequestRecord> requests = step.requests();
        Percentiles.assertMatches(step.overall().e2e(), requests.stream().mapToLong(RequestRecord::e2eNanos));
        Percentiles.assertMatches(step.overall().ttft(), requests.stream().mapToLong(RequestRecord::ttftNanos));
        Percentiles.assertMatches(step.overall().tpot(), requests.stream().mapToLong(RequestRecord::tpotNanos));
        Percentiles.assertMatches(step.overall().queue(), requests.stream().mapToLong(RequestRecord::queueNanos));
        Percentiles.assertMatches(
                step.overall().itl(), requests.stream().flatMapToLong(r -> java.util.Arrays.stream(r.itlNanos())));
    }

    private static List<RequestRecord> sorted(List<RequestRecord> requests) {
        return requests.stream()
                .sorted(Comparator.comparingLong(RequestRecord::index))
                .toList();
    }
}
