package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EstimateTest {

    private static Sample sample(int prompt, double positivity) {
        return new Sample(prompt, "", new long[] {1}, new long[] {2}, 0, 0, positivity, 0, Double.NaN, false);
    }

    @Test
    @DisplayName("the mean is over samples, the standard error over the per-prompt means")
    void clusteredError() {
        // prompt 0: 1, 3 (mean 2); prompt 1: 4 (mean 4); prompt 2: 0, 0, 3 (mean 1)
        List<Sample> samples =
                List.of(sample(0, 1), sample(0, 3), sample(1, 4), sample(2, 0), sample(2, 0), sample(2, 3));
        Estimate e = Estimate.of(samples, Sample::positivity);
        assertThat(e.mean()).isCloseTo(11.0 / 6, within(1e-12));
        // per-prompt means 2, 4, 1: mean 7/3, sample variance ((1/3)^2 + (5/3)^2 + (4/3)^2) / 2 = 7/3
        assertThat(e.stdError()).isCloseTo(Math.sqrt(7.0 / 3) / Math.sqrt(3), within(1e-12));
    }

    @Test
    @DisplayName("NaN values are left out; one prompt has no standard error; none at all is NONE")
    void edges() {
        assertThat(Estimate.of(List.of(sample(0, 1), sample(0, Double.NaN)), Sample::positivity))
                .isEqualTo(new Estimate(1, Double.NaN));
        assertThat(Estimate.of(List.of(sample(0, Double.NaN)), Sample::positivity))
                .isEqualTo(Estimate.NONE);
    }
}
