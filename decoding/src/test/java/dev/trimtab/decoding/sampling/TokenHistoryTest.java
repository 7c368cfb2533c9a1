package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenHistoryTest {

    @Test
    @DisplayName("records ids in order, counts repeats in size but not among distinct ids")
    void records() {
        TokenHistory history = TokenHistory.of(5, 3, 5, 9);

        assertThat(history.size()).isEqualTo(4);
        assertThat(history.last()).isEqualTo(9);
        assertThat(history.distinctCount()).isEqualTo(3);
        assertThat(new int[] {history.distinctId(0), history.distinctId(1), history.distinctId(2)})
                .containsExactly(5, 3, 9);
        assertThat(history.contains(3)).isTrue();
        assertThat(history.contains(4)).isFalse();
        assertThat(history.contains(-1)).isFalse();
        assertThat(history.contains(1 << 20)).isFalse();
    }

    @Test
    @DisplayName("grows past the presized vocabulary")
    void grows() {
        TokenHistory history = new TokenHistory(10);
        history.add(151_935);
        history.add(TokenHistory.MAX_TOKEN_ID);

        assertThat(history.contains(151_935)).isTrue();
        assertThat(history.contains(TokenHistory.MAX_TOKEN_ID)).isTrue();
        assertThat(history.contains(151_934)).isFalse();
    }

    @Test
    @DisplayName("rejects ids outside [0, MAX_TOKEN_ID] and last() on an empty history")
    void rejects() {
        TokenHistory history = new TokenHistory();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> history.add(-1))
                .withMessage("token id must be in [0, 16777215], got -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> history.add(1L << 40))
                .withMessage("token id must be in [0, 16777215], got 1099511627776");
        assertThatIllegalStateException().isThrownBy(history::last);
        assertThat(history.size()).isZero();
    }

    @Test
    @DisplayName("a copy evolves independently of the original")
    void copies() {
        TokenHistory original = TokenHistory.of(1, 2);
        TokenHistory copy = original.copy();
        copy.add(70);
        original.add(3);

        assertThat(copy.contains(70)).isTrue();
        assertThat(copy.contains(3)).isFalse();
        assertThat(original.contains(70)).isFalse();
        assertThat(copy.size()).isEqualTo(3);
        assertThat(copy.last()).isEqualTo(70);
    }
}
