package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoadTestConfigTest {

    @Test
    @DisplayName("The defaults: one client, a one-minute measured phase, no warm-up, no SLO, /v1/completions")
    void defaults() {
        LoadTestConfig config =
                LoadTestConfig.builder(URI.create("http://127.0.0.1:8000"), "m").build();
        assertThat(config.loads()).containsExactly(new Load.Closed(1));
        assertThat(config.length()).isEqualTo(RunLength.duration(Duration.ofMinutes(1)));
        assertThat(config.slo().isSet()).isFalse();
        assertThat(config.maxInFlight(config.loads().getFirst())).isEqualTo(1);
        assertThat(config.target().describe()).isEqualTo("http://127.0.0.1:8000/v1/completions");
    }

    @Test
    @DisplayName("Every invalid setting is reported at once")
    void everyErrorAtOnce() {
        assertThatThrownBy(() -> LoadTestConfig.builder(URI.create("ftp://host"), " ")
                        .openLoop(new Arrivals.Poisson(), 4, 2)
                        .maxInFlight(-1)
                        .requests(-3)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url must be http://HOST[:PORT] or https://HOST[:PORT], got ftp://host")
                .hasMessageContaining("requests must be >= 0, got -3")
                .hasMessageContaining(
                        "a sweep's loads must be strictly increasing, got [poisson 4 req/s, poisson 2 req/s]")
                .hasMessageContaining("maxInFlight must be in [0, 100000] (0 for the default), got -1");
    }

    @Test
    @DisplayName("A URL path prefix goes before the endpoint; the API key never shows in toString")
    void target() {
        Target target = new Target(
                URI.create("https://api.example.com/proxy/"), "/v1/completions", "m", "secret", Duration.ofSeconds(5));
        assertThat(target.path()).isEqualTo("/proxy/v1/completions");
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.toString()).doesNotContain("secret");
    }

    @Test
    @DisplayName("A request is good when every bound holds; TPOT does not apply to a single-token answer")
    void slo() {
        Slo slo = new Slo(Map.of(SloMetric.TTFT, Duration.ofMillis(100), SloMetric.TPOT, Duration.ofMillis(10)), 0.9);
        long ms = 1_000_000;
        assertThat(slo.isMet(100 * ms, 10 * ms, 5000 * ms)).isTrue();
        assertThat(slo.isMet(101 * ms, 10 * ms, 0)).isFalse();
        assertThat(slo.isMet(50 * ms, 11 * ms, 0)).isFalse();
        assertThat(slo.isMet(50 * ms, -1, 0)).isTrue();
        assertThat(slo.describe()).isEqualTo("ttft <= 100ms, tpot <= 10ms for 90% of requests");
    }

    @Test
    @DisplayName("Durations take a unit: ms, s, m or h")
    void durations() {
        assertThat(Durations.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("x", "1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> Durations.parse("--duration", "60"))
                .hasMessage("--duration must be a number with a unit (ms, s, m or h), e.g. 500ms or 30s, got '60'");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }
}
