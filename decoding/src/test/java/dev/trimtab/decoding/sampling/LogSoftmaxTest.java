package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogSoftmaxTest {

    private static final float MASKED = Float.NEGATIVE_INFINITY;

    @Test
    @DisplayName("matches log(exp(l_i) / sum exp(l_j)) computed naively in double")
    void matchesDoubleReference() {
        float[] logits = Fixtures.gaussianLogits(11, 2000, 4.0);
        float[] out = new float[logits.length];

        LogSoftmax.apply(logits, out);

        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x);
        }
        for (int i = 0; i < logits.length; i++) {
            double expected = Math.log(Math.exp(logits[i]) / sum);
            assertThat((double) out[i]).isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    @DisplayName("is stable for huge logits, where a naive exp overflows")
    void stableForHugeLogits() {
        float[] logits = {1000f, 1000f + (float) Math.log(3)};
        float[] out = new float[2];

        LogSoftmax.apply(logits, out);

        assertThat((double) out[0]).isCloseTo(Math.log(0.25), within(1e-4));
        assertThat((double) out[1]).isCloseTo(Math.log(0.75), within(1e-4));
    }

    @Test
    @DisplayName("gives masked entries -Infinity and normalises over the rest, also in place")
    void handlesMasked() {
        float[] logits = {MASKED, 0f, MASKED, 0f};

        LogSoftmax.apply(logits, logits);

        assertThat(logits[0]).isEqualTo(MASKED);
        assertThat(logits[2]).isEqualTo(MASKED);
        assertThat((double) logits[1]).isCloseTo(Math.log(0.5), within(1e-7));
        assertThat((double) logits[3]).isCloseTo(Math.log(0.5), within(1e-7));
    }

    @Test
    @DisplayName("rejects mismatched lengths, NaN, +Infinity and an all-masked row")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSoftmax.apply(new float[3], new float[2]))
                .withMessage("out.length must equal logits.length 3, got 2");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSoftmax.apply(new float[] {0f, Float.NaN}, new float[2]))
                .withMessageStartingWith("logits[1] must be finite or -Infinity, got NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSoftmax.apply(new float[] {Float.POSITIVE_INFINITY}, new float[1]))
                .withMessageStartingWith("logits[0] must be finite or -Infinity, got Infinity");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LogSoftmax.apply(new float[] {MASKED, MASKED}, new float[2]))
                .withMessage("logits must hold at least one entry above -Infinity, got all 2 masked");
    }
}
