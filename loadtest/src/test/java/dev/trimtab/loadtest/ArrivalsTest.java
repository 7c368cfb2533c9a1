package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArrivalsTest {

    private static final int DRAWS = 50_000;

    /** Mean gap in seconds and coefficient of variation of {@value #DRAWS} gaps at 10 requests/s. */
    private static double[] meanAndCv(Arrivals arrivals) {
        SplittableRandom random = new SplittableRandom(11);
        double[] gaps = IntStream.range(0, DRAWS)
                .mapToDouble(i -> arrivals.nextGapNanos(10, random) / 1e9)
                .toArray();
        double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
        double variance =
                java.util.Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / (DRAWS - 1);
        return new double[] {mean, Math.sqrt(variance) / mean};
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"poisson, 1.0", "gamma:1, 1.0", "gamma:0.25, 2.0", "gamma:4, 0.5"})
    @DisplayName("Gaps average 1/rate, with the coefficient of variation 1/sqrt(burstiness)")
    void meanAndVariation(String spec, double cv) {
        double[] stats = meanAndCv(Arrivals.parse(spec));
        assertThat(stats[0]).isBetween(0.097, 0.103);
        assertThat(stats[1]).isBetween(cv * 0.95, cv * 1.05);
    }

    @Test
    @DisplayName("Constant arrivals are exactly 1/rate apart")
    void constant() {
        assertThat(Arrivals.parse("constant").nextGapNanos(25, new SplittableRandom(1)))
                .isEqualTo(40_000_000L);
    }

    @Test
    @DisplayName("Bad arrival specs name the rule")
    void badSpecs() {
        assertThatThrownBy(() -> Arrivals.parse("uniform"))
                .hasMessage("arrivals must be poisson, constant or gamma:B (B > 0 the burstiness), got 'uniform'");
        assertThatThrownBy(() -> Arrivals.parse("gamma:0"))
                .hasMessage("gamma burstiness must be a finite number > 0, got 0.0");
        assertThatThrownBy(() -> Arrivals.parse("gamma:x"))
                .hasMessage("gamma burstiness must be a number > 0, got 'gamma:x'");
    }
}
