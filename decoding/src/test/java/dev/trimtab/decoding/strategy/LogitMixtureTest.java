package dev.trimtab.decoding.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.strategy.dera.DeraMixing;
import dev.trimtab.decoding.strategy.genarm.GenArmMixing;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogitMixtureTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;

    @ParameterizedTest(name = "lambda {0}")
    @ValueSource(doubles = {1e7, 1e39, 1e308, Double.MAX_VALUE})
    @DisplayName("DeRa with a huge lambda leaves only the token where aligned most exceeds reference")
    void deraHugeLambda(double lambda) {
        float[] aligned = {1f, 4f, 2f, 0f};
        float[] reference = {1f, 2f, 2.5f, -1f};
        float[] out = new float[5];

        DeraMixing.mix(lambda, aligned, reference, 4, out);

        // aligned − reference = (0, 2, −0.5, 1): the limit puts all mass on id 1
        assertThat(out[1]).isZero();
        for (int i : new int[] {0, 2, 3}) {
            assertThat(out[i]).isLessThan(-1e6f);
        }
        assertThat(out[4]).isEqualTo(NEG);
    }

    @ParameterizedTest(name = "lambda {0}")
    @ValueSource(doubles = {-1e39, -1e308})
    @DisplayName("DeRa with a hugely negative lambda leaves the token where reference most exceeds aligned")
    void deraHugeNegativeLambda(double lambda) {
        float[] aligned = {1f, 4f, 2f, 0f};
        float[] reference = {1f, 2f, 2.5f, -1f};
        float[] out = new float[4];

        DeraMixing.mix(lambda, aligned, reference, 4, out);

        assertThat(out).containsExactly(NEG, NEG, 0f, NEG);
    }

    @ParameterizedTest(name = "alpha {0}")
    @ValueSource(doubles = {1e39, -1e39, 1e308})
    @DisplayName("GenARM with a huge weight gives finite or masked logits with one at 0, never NaN or +Infinity")
    void genArmHugeWeight(double alpha) {
        float[] base = {0.5f, 1f, -2f, 3f};
        float[][] arms = {{2f, -1f, 0f, 1f}, {0f, 0f, 1f, 0f}};

        GenArmMixing.mix(base, arms, new double[] {alpha, -alpha}, 4);

        for (float x : base) {
            assertThat(x).isLessThanOrEqualTo(0f).isNotNaN();
        }
        assertThat(base).contains(0f);
    }
}
