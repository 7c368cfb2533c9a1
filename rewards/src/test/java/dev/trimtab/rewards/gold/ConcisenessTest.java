package dev.trimtab.rewards.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConcisenessTest {
    private final Conciseness conciseness = new Conciseness();

    private double score(String completion) {
        return conciseness.score("Product review of the Nimbus kettle:", completion);
    }

    @Test
    @DisplayName("a complete text of ten words scores 1/2, of thirty 1/4")
    void reciprocalLength() {
        assertThat(score(" One two three four five six seven eight nine ten.")).isCloseTo(0.5, within(1e-12));
        assertThat(score((" word").repeat(30) + ".")).isCloseTo(0.25, within(1e-12));
    }

    @Test
    @DisplayName("shorter complete texts score higher")
    void shorterIsBetter() {
        assertThat(score(" Great kettle."))
                .isGreaterThan(score(" Great kettle. The lid is sturdy and the handle is comfortable."));
    }

    @Test
    @DisplayName("a text cut off mid-sentence scores half, an empty one 0")
    void incompleteAndEmpty() {
        assertThat(score(" The lid is sturdy and")).isCloseTo(0.5 / 1.5, within(1e-12));
        assertThat(score("  ")).isZero();
        assertThat(score(" ...")).isZero();
    }

    @Test
    @DisplayName("closing quotes and trailing spaces after the full stop still end a sentence")
    void sentenceEnd() {
        assertThat(score(" It said \"great.\"  ")).isCloseTo(1 / 1.3, within(1e-12));
    }
}
