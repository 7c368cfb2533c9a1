package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BestOfNKlTest {

    @Test
    @DisplayName("the analytic bound is log N - (N-1)/N: 0 at N = 1, 0.636 at 4, 3.175 at 64")
    void bound() {
        assertThat(BestOfNKl.bound(1)).isEqualTo(0.0);
        assertThat(BestOfNKl.bound(4)).isCloseTo(1.3862944 - 0.75, within(1e-6));
        assertThat(BestOfNKl.bound(64)).isCloseTo(4.1588831 - 63.0 / 64, within(1e-6));
        assertThat(BestOfNKl.bound(0)).isNaN();
    }

    @Test
    @DisplayName("the plug-in ratio ranks the chosen reward among the others and itself, ties included")
    void logRatioByHand() {
        // others 1, 2, 3 and the chosen 2.5: F = 3/4, F- = 2/4; N = 2: (9/16 - 4/16) / (1/4) = 5/4
        assertThat(BestOfNKl.logRatio(2.5, List.of(1.0, 2.0, 3.0), 2)).isCloseTo(Math.log(1.25), within(1e-12));
        // a tie with 2: F = 3/4, F- = 1/4; N = 2: (9/16 - 1/16) / (2/4) = 1
        assertThat(BestOfNKl.logRatio(2.0, List.of(1.0, 2.0, 3.0), 2)).isCloseTo(0.0, within(1e-12));
        // the best of all: F = 1, F- = 3/4; N = 3: (1 - 27/64) / (1/4) = 37/16
        assertThat(BestOfNKl.logRatio(9.0, List.of(1.0, 2.0, 3.0), 3)).isCloseTo(Math.log(37.0 / 16), within(1e-12));
    }

    @Test
    @DisplayName("with many independent candidates and continuous rewards, the estimate approaches the analytic KL")
    void consistentForContinuousRewards() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {4, 16}) {
            double sum = 0;
            int trials = 400;
            for (int t = 0; t < trials; t++) {
                double chosen = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) chosen = Math.max(chosen, random.nextDouble());
                List<Double> others = new ArrayList<>();
                for (int i = 0; i < 2000; i++) others.add(random.nextDouble());
                sum += BestOfNKl.logRatio(chosen, others, n);
            }
            // continuous rewards never tie, so the KL equals the bound
            assertThat(sum / trials).as("N = %d", n).isCloseTo(BestOfNKl.bound(n), within(0.06));
        }
    }
}
