package dev.trimtab.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LengthDistributionTest {

    @Test
    @DisplayName("A plain number is a fixed length")
    void fixed() {
        LengthDistribution lengths = LengthDistribution.parse("--max-tokens", "128");
        assertThat(lengths).isEqualTo(new LengthDistribution.Fixed(128));
        assertThat(lengths.sample(new SplittableRandom(1))).isEqualTo(128);
    }

    @Test
    @DisplayName("A uniform distribution draws every length between its bounds, inclusive, and nothing else")
    void uniform() {
        LengthDistribution lengths = LengthDistribution.parse("--max-tokens", "uniform:3:6");
        SplittableRandom random = new SplittableRandom(7);
        int[] draws = IntStream.range(0, 2000).map(i -> lengths.sample(random)).toArray();
        assertThat(IntStream.of(draws).distinct().sorted().toArray()).containsExactly(3, 4, 5, 6);
        assertThat(lengths.spec()).isEqualTo("uniform:3:6");
    }

    @Test
    @DisplayName("A normal distribution has its mean and is clamped to at least one")
    void normal() {
        LengthDistribution lengths = LengthDistribution.parse("--max-tokens", "normal:100:20");
        SplittableRandom random = new SplittableRandom(7);
        double mean = IntStream.range(0, 20_000)
                .map(i -> lengths.sample(random))
                .average()
                .orElseThrow();
        assertThat(mean).isBetween(99.0, 101.0);
        LengthDistribution wide = new LengthDistribution.Normal(2, 50);
        assertThat(IntStream.range(0, 1000).map(i -> wide.sample(random)).min().orElseThrow())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("The same seed draws the same lengths")
    void seeded() {
        LengthDistribution lengths = LengthDistribution.parse("--max-tokens", "uniform:1:1000");
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        assertThat(IntStream.range(0, 50).map(i -> lengths.sample(a)).toArray())
                .containsExactly(
                        IntStream.range(0, 50).map(i -> lengths.sample(b)).toArray());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "0; --max-tokens: length must be in [1, 1000000], got 0",
                "abc; --max-tokens must be N, uniform:MIN:MAX or normal:MEAN:SD",
                "uniform:5; --max-tokens must be N, uniform:MIN:MAX or normal:MEAN:SD",
                "uniform:9:3; --max-tokens: uniform max must be >= min, got min 9, max 3",
                "normal:0:5; --max-tokens: normal mean must be in [1, 1000000], got 0.0",
                "normal:10:-1; --max-tokens: normal sd must be in [0, 1000000], got -1.0"
            })
    @DisplayName("A bad spec names the field, the rule and the value")
    void badSpecs(String spec, String message) {
        assertThatThrownBy(() -> LengthDistribution.parse("--max-tokens", spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
