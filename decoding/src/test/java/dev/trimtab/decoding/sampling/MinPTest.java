package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MinPTest {

    private static final float MASKED = Float.NEGATIVE_INFINITY;

    @Test
    @DisplayName("on probabilities 0.6, 0.3, 0.1 with min-p 0.2 the threshold is 0.12 and masks only the last")
    void handComputed() {
        float[] logits = {(float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1)};
        float[] expected = {logits[0], logits[1], MASKED};

        new MinP(0.2).process(logits, new TokenHistory());

        assertThat(logits).containsExactly(expected);
    }

    @ParameterizedTest(name = "min-p {0}")
    @ValueSource(doubles = {0.001, 0.05, 0.3, 0.9})
    @DisplayName("keeps exactly the tokens whose softmax probability reaches min-p times the top one")
    void matchesSoftmax(double minP) {
        float[] original = Fixtures.gaussianLogits((long) (minP * 1000), 5000, 2.0);
        double[] p = Fixtures.softmax(original);
        double top = IntStream.range(0, p.length).mapToDouble(i -> p[i]).max().orElseThrow();
        int[] expected =
                IntStream.range(0, p.length).filter(i -> p[i] >= minP * top).toArray();
        float[] logits = original.clone();

        new MinP(minP).process(logits, new TokenHistory());

        assertThat(Fixtures.kept(logits)).containsExactly(expected);
    }

    @Test
    @DisplayName("min-p 1 keeps only the tokens tied for the top")
    void one() {
        float[] logits = {1f, 2f, 2f, MASKED};

        new MinP(1).process(logits, new TokenHistory());

        assertThat(logits).containsExactly(MASKED, 2f, 2f, MASKED);
    }

    @Test
    @DisplayName("rejects min-p outside (0, 1]")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MinP(0))
                .withMessage("minP must be in (0, 1] to build a MinP processor (0 disables it), got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new MinP(1.01));
    }
}
