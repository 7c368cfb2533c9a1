package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopPTest {

    /** The nucleus by definition: sort everything, keep the shortest prefix whose mass reaches p. */
    private static int[] nucleusBySorting(float[] logits, double p) {
        double[] probabilities = Fixtures.softmax(logits);
        int[] ranking = Fixtures.ranking(logits);
        double mass = 0;
        int size = 0;
        while (mass < p && size < ranking.length) {
            mass += probabilities[ranking[size++]];
        }
        return Fixtures.sorted(Arrays.copyOf(ranking, size));
    }

    @ParameterizedTest(name = "vocabulary {0}, scale {1}, p = {2}")
    @CsvSource({
        "1000, 3.0, 0.1",
        "1000, 3.0, 0.5",
        "1000, 3.0, 0.9",
        "1000, 0.3, 0.95",
        "1000, 10.0, 0.99",
        "150000, 2.0, 0.9",
        "7, 1.0, 0.6"
    })
    @DisplayName("keeps the same tokens as a full sort of the probabilities")
    void matchesFullSort(int vocabulary, double scale, double p) {
        float[] original = Fixtures.gaussianLogits(vocabulary * 31L + (long) (p * 100), vocabulary, scale);
        float[] logits = original.clone();

        new TopP(p).process(logits, new TokenHistory());

        assertThat(Fixtures.kept(logits)).containsExactly(nucleusBySorting(original, p));
    }

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(doubles = {0.05, 0.3, 0.77, 0.97})
    @DisplayName("with many tied logits keeps the prefix of a full sort, lower ids first among ties")
    void matchesFullSortWithTies(double p) {
        float[] original = Fixtures.quantizedLogits((long) (p * 1000), 20_000, 2.0, 0.5);
        float[] logits = original.clone();

        new TopP(p).process(logits, new TokenHistory());

        assertThat(Fixtures.kept(logits)).containsExactly(nucleusBySorting(original, p));
    }

    @Test
    @DisplayName("on probabilities 1/2, 1/4, 1/8, 1/8 the nucleus grows with p")
    void handComputed() {
        float[] logits = {
            (float) Math.log(0.125), (float) Math.log(0.5), (float) Math.log(0.125), (float) Math.log(0.25)
        };

        assertThat(Fixtures.kept(apply(logits, 0.3))).containsExactly(1);
        assertThat(Fixtures.kept(apply(logits, 0.7))).containsExactly(1, 3);
        assertThat(Fixtures.kept(apply(logits, 0.8))).containsExactly(0, 1, 3);
        assertThat(Fixtures.kept(apply(logits, 0.9))).containsExactly(0, 1, 2, 3);
    }

    @Test
    @DisplayName("keeps the top token even when p is tiny, and lower ids first among equal logits")
    void keepsAtLeastOne() {
        float[] uniform = new float[10];

        assertThat(Fixtures.kept(apply(Fixtures.gaussianLogits(3, 500, 1.0), 1e-12)))
                .hasSize(1);
        assertThat(Fixtures.kept(apply(uniform, 1e-12))).containsExactly(0);
        assertThat(Fixtures.kept(apply(uniform, 0.35))).containsExactly(0, 1, 2, 3);
    }

    @Test
    @DisplayName("after top-k only the surviving tokens make up the distribution")
    void afterTopK() {
        float[] logits = new float[6];
        float[] weights = {3, 2, 1, 1, 1, 1};
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(weights[i]);
        }

        // Alone, top-p 0.55 needs 3/9 + 2/9; after top-2 the first token alone has 3/5.
        assertThat(Fixtures.kept(apply(logits, 0.55))).containsExactly(0, 1);
        LogitsProcessorChain.of(new TopK(2), new TopP(0.55)).process(logits, new TokenHistory());
        assertThat(Fixtures.kept(logits)).containsExactly(0);
    }

    @Test
    @DisplayName("rejects p outside (0, 1)")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TopP(1))
                .withMessage("topP must be in (0, 1) to build a TopP processor (1 disables it), got 1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new TopP(Double.NaN));
    }

    private static float[] apply(float[] logits, double p) {
        float[] copy = logits.clone();
        new TopP(p).process(copy, new TokenHistory());
        return copy;
    }
}
