package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopKTest {

    private static final float MASKED = Float.NEGATIVE_INFINITY;

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 2, 50, 1000})
    @DisplayName("on a 150k vocabulary keeps exactly the k ids a full sort ranks first, values untouched")
    void matchesFullSort(int k) {
        float[] original = Fixtures.gaussianLogits(42 + k, 150_000, 3.0);
        float[] logits = original.clone();

        new TopK(k).process(logits, new TokenHistory());

        int[] expected = Fixtures.sorted(Arrays.copyOf(Fixtures.ranking(original), k));
        assertThat(Fixtures.kept(logits)).containsExactly(expected);
        for (int id : expected) {
            assertThat(logits[id]).isEqualTo(original[id]);
        }
    }

    @ParameterizedTest(name = "k = {0}")
    @ValueSource(ints = {1, 7, 100})
    @DisplayName("with many tied logits keeps the k ids a full sort ranks first, lower ids first among ties")
    void matchesFullSortWithTies(int k) {
        float[] original = Fixtures.quantizedLogits(k, 20_000, 2.0, 0.5);
        float[] logits = original.clone();

        new TopK(k).process(logits, new TokenHistory());

        assertThat(Fixtures.kept(logits))
                .containsExactly(Fixtures.sorted(Arrays.copyOf(Fixtures.ranking(original), k)));
    }

    @Test
    @DisplayName("ties at the k-th value go to the lowest ids, so exactly k tokens survive")
    void tiesGoToLowerIds() {
        float[] logits = {1f, 3f, 3f, 3f, 0f};

        new TopK(2).process(logits, new TokenHistory());

        assertThat(logits).containsExactly(MASKED, 3f, 3f, MASKED, MASKED);
    }

    @Test
    @DisplayName("changes nothing when k covers the vocabulary or fewer than k tokens are unmasked")
    void keepsEverythingWhenKIsLarge() {
        float[] small = {0.5f, -1f};
        float[] sparse = {MASKED, 2f, MASKED, 1f, MASKED, MASKED};

        new TopK(2).process(small, new TokenHistory());
        new TopK(3).process(sparse, new TokenHistory());

        assertThat(small).containsExactly(0.5f, -1f);
        assertThat(sparse).containsExactly(MASKED, 2f, MASKED, 1f, MASKED, MASKED);
    }

    @Test
    @DisplayName("reusing one instance across steps gives the same result as fresh ones")
    void reusesBuffers() {
        TopK topK = new TopK(3);
        for (long step = 0; step < 5; step++) {
            float[] logits = Fixtures.gaussianLogits(step, 100 + (int) step * 10, 1.0);
            float[] fresh = logits.clone();
            topK.process(logits, new TokenHistory());
            new TopK(3).process(fresh, new TokenHistory());
            assertThat(logits).containsExactly(fresh);
        }
    }

    @Test
    @DisplayName("rejects k below 1")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TopK(0))
                .withMessage("topK must be >= 1 to build a TopK processor, got 0");
    }
}
