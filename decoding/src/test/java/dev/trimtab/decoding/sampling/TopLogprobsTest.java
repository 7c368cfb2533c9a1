package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TopLogprobsTest {

    @Test
    @DisplayName("the k best equal the first k of a full sort by logit (ties: lower id first)")
    void equalsFullSort() {
        float[] logits = Fixtures.gaussianLogits(5, 3000, 3.0);
        logits[17] = logits[2900] = 40f;
        double normalizer = LogSoftmax.logSumExp(logits);
        for (int k : new int[] {0, 1, 5, 20}) {
            List<TokenAlternative> expected = IntStream.range(0, logits.length)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer id) -> -logits[id])
                            .thenComparing(id -> id))
                    .limit(k)
                    .map(id -> new TokenAlternative(id, logits[id] - normalizer))
                    .toList();

            assertThat(TopLogprobs.of(logits, normalizer, k)).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("a vocabulary smaller than k gives every token")
    void smallVocabulary() {
        assertThat(TopLogprobs.of(new float[] {0f, 1f}, 0, 5))
                .extracting(TokenAlternative::token)
                .containsExactly(1L, 0L);
    }

    @Test
    @DisplayName("k out of [0, 20] is refused, naming the range")
    void rejectsBadK() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TopLogprobs.of(new float[3], 0, 21))
                .withMessageContaining("[0, 20]");
    }
}
