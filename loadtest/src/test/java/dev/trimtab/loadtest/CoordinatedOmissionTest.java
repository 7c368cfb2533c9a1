package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.loadtest.FakeCompletionsServer.Served;
import dev.trimtab.loadtest.workload.LengthDistribution;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
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
 *
 * <p>The bounds from below are exact: timers never fire early and a client cannot see a byte before the server wrote
 * it. From above, real clocks on a busy machine add lag (a loopback hop, a preempted thread: up to 20 ms seen on two
 * shared cores), so the upper bounds hold for the median request, with a generous ceiling for the worst.
 */
class CoordinatedOmissionTest {

    private static final long MS = 1_000_000;
    private static final long SERVICE = 80 * MS;
    private static final long INTERVAL = 40 * MS;
    private static final int REQUESTS = 12;
    /** The typical lag of one loopback hop (seen: 3 ms at a load average of 7 on two cores). */
    private static final long HOP = 10 * MS;
    /** The worst lag tolerated for a single request: a preempted thread, a first connection. */
    private static final long HICCUP = 100 * MS;

    @BeforeAll
    static void warmUp() {
        FakeCompletionsServer.warmUpJvm();
    }

    private static LoadTestConfig.Builder config(FakeCompletionsServer fake, int maxInFlight) {
        return LoadTestConfig.builder(fake.url(), "fake")
                .openLoop(new Arrivals.Constant(), 25)
                .maxTokens(LengthDistribution.fixed(5))
                .maxInFlight(maxInFlight)
                .requests(REQUESTS)
                .keepRequests(true);
    }

    /** The script: request {@code i} finishes at {@code (i + 1) * SERVICE} and was scheduled at {@code i * INTERVAL}. */
    private static long expectedLatency(int i) {
        return SERVICE + i * (SERVICE - INTERVAL);
    }

    @ParameterizedTest(name = "max in flight {0}")
    @ValueSource(ints = {1, 64})
    @DisplayName("Latency counts from the scheduled send time, whether requests queue in the client or the server")
    void latencyCountsFromTheScheduledTime(int maxInFlight) {
        StepReport step;
        List<Served> served;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(40), Duration.ofMillis(10), true)) {
            step = LoadTest.run(config(fake, maxInFlight).build()).steps().getFirst();
            served = fake.served();
        }
        List<RequestRecord> requests = sorted(step.requests());
        assertThat(requests).hasSize(REQUESTS).allMatch(r -> r.outcome().isOk());
        assertThat(served).hasSize(REQUESTS);
        IntToLongFunction serverLatency = i -> served.get(i).finishedNanos()
                - step.originNanoTime()
                - requests.get(i).scheduledNanos();
        for (int i = 0; i < REQUESTS; i++) {
            RequestRecord request = requests.get(i);
            assertThat(request.scheduledNanos())
                    .as("scheduled time of request %d", i)
                    .isEqualTo(i * INTERVAL);
            assertThat(request.e2eNanos())
                    .as("latency of request %d: at least the script's %d ms", i, expectedLatency(i) / MS)
                    .isGreaterThanOrEqualTo(expectedLatency(i))
                    .as("latency of request %d: at least the server's finish, from the scheduled time", i)
                    .isGreaterThanOrEqualTo(serverLatency.applyAsLong(i));
        }
        assertLag(
                "the client's latency over the server's",
                i -> requests.get(i).e2eNanos() - serverLatency.applyAsLong(i));
        // In a queue each request inherits the lag of the ones before it, so bound the lag each one adds.
        IntToLongFunction overScript = i -> requests.get(i).e2eNanos() - expectedLatency(i);
        assertLag(
                "the lag each request adds to the script's queue",
                i -> overScript.applyAsLong(i) - (i == 0 ? 0 : overScript.applyAsLong(i - 1)),
                -HICCUP,
                3 * HOP,
                HICCUP);
        if (maxInFlight == 1) {
            assertLag(
                    "the uncorrected latency over the service time (two hops)",
                    i -> requests.get(i).serviceNanos() - SERVICE,
                    0,
                    2 * HOP,
                    HICCUP);
            assertLag(
                    "the wait for the slot to be free",
                    i -> i == 0
                            ? 0
                            : requests.get(i).sentNanos() - requests.get(i - 1).endNanos());
        } else {
            assertLag("the client-side wait", i -> requests.get(i).queueNanos());
        }
        assertThat(step.overall().e2e().maxMs()).isGreaterThanOrEqualTo(expectedLatency(REQUESTS - 1) / 1e6);
    }

    private static void assertLag(String what, IntToLongFunction lag) {
        assertLag(what, lag, 0, HOP, HICCUP);
    }

    /** The lag is at least {@code least}, its median at most {@code median}, its worst at most {@code worst}. */
    private static void assertLag(String what, IntToLongFunction lag, long least, long median, long worst) {
        long[] lags = IntStream.range(0, REQUESTS).mapToLong(lag).sorted().toArray();
        assertThat(lags[0])
                .as("%s, smallest, in %s", what, Arrays.toString(lags))
                .isGreaterThanOrEqualTo(least);
        assertThat(lags[REQUESTS / 2])
                .as("%s, median, in %s", what, Arrays.toString(lags))
                .isLessThanOrEqualTo(median);
        assertThat(lags[REQUESTS - 1])
                .as("%s, largest, in %s", what, Arrays.toString(lags))
                .isLessThanOrEqualTo(worst);
    }

    @ParameterizedTest(name = "max in flight {0}")
    @ValueSource(ints = {1, 64})
    @DisplayName("The reported percentiles are the nearest-rank percentiles of the requests' own latencies")
    void percentilesMatchTheRequests(int maxInFlight) {
        StepReport step;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(40), Duration.ofMillis(10), true)) {
            step = LoadTest.run(config(fake, maxInFlight).build()).steps().getFirst();
        }
        List<RequestRecord> requests = step.requests();
        Percentiles.assertMatches(step.overall().e2e(), requests.stream().mapToLong(RequestRecord::e2eNanos));
        Percentiles.assertMatches(step.overall().ttft(), requests.stream().mapToLong(RequestRecord::ttftNanos));
        Percentiles.assertMatches(step.overall().tpot(), requests.stream().mapToLong(RequestRecord::tpotNanos));
        Percentiles.assertMatches(step.overall().queue(), requests.stream().mapToLong(RequestRecord::queueNanos));
        Percentiles.assertMatches(
                step.overall().itl(), requests.stream().flatMapToLong(r -> Arrays.stream(r.itlNanos())));
    }

    private static List<RequestRecord> sorted(List<RequestRecord> requests) {
        return requests.stream()
                .sorted(Comparator.comparingLong(RequestRecord::index))
                .toList();
    }
}
