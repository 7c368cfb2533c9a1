package dev.trimtab.rewards.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PositivityTest {
    private final Positivity positivity = new Positivity();

    private double score(String completion) {
        return positivity.score("Film review of The Last Orchard:", completion);
    }

    @Test
    @DisplayName("a text without opinion words scores 0")
    void neutral() {
        assertThat(score(" I watched it with my sister last weekend.")).isZero();
        assertThat(score("")).isZero();
    }

    @Test
    @DisplayName("each agreeing opinion word moves the score towards 1 or -1: (P - N) / (P + N + 1)")
    void counts() {
        assertThat(score(" The acting was superb.")).isCloseTo(0.5, within(1e-12));
        assertThat(score(" The acting was superb and the plot was gripping.")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(score(" The plot was dull.")).isCloseTo(-0.5, within(1e-12));
        assertThat(score(" The acting was superb but the plot was dull.")).isZero();
    }

    @Test
    @DisplayName("a negator up to three words before an opinion word in the same clause flips it")
    void negation() {
        assertThat(score(" The plot was not dull.")).isCloseTo(0.5, within(1e-12));
        assertThat(score(" I would not recommend it.")).isCloseTo(-0.5, within(1e-12));
        assertThat(score(" It wasn't great.")).isCloseTo(-0.5, within(1e-12));
        assertThat(score(" Not now. The cast was superb.")).isCloseTo(0.5, within(1e-12));
        assertThat(score(" No doubt about it, the cast was superb.")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    @DisplayName("case does not matter and the prompt is not judged")
    void caseAndPrompt() {
        assertThat(score(" SUPERB!")).isCloseTo(0.5, within(1e-12));
        assertThat(positivity.score("An awful, terrible prompt:", " Fine.")).isZero();
    }
}
