package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RepetitionPenaltyTest {

    @Test
    @DisplayName("divides a seen positive logit, multiplies a seen negative one, leaves unseen ones alone")
    void signRule() {
        float[] logits = {2f, -2f, 0f, 3f, Float.NEGATIVE_INFINITY};

        new RepetitionPenalty(2).process(logits, TokenHistory.of(0, 1, 2, 4, 1));

        assertThat(logits).containsExactly(1f, -4f, 0f, 3f, Float.NEGATIVE_INFINITY);
    }

    @Test
    @DisplayName("a penalty below 1 makes seen tokens more likely, whatever their sign")
    void reward() {
        float[] logits = {2f, -2f};

        new RepetitionPenalty(0.5).process(logits, TokenHistory.of(0, 1));

        assertThat(logits).containsExactly(4f, -1f);
    }

    @Test
    @DisplayName("seen ids beyond the logits are skipped")
    void skipsIdsOutsideTheLogits() {
        float[] logits = {1f, 1f};

        new RepetitionPenalty(2).process(logits, TokenHistory.of(1, 50_000));

        assertThat(logits).containsExactly(1f, 0.5f);
    }

    @Test
    @DisplayName("rejects penalties outside (0, 10]")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RepetitionPenalty(0))
                .withMessage("repetitionPenalty must be in (0, 10], got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new RepetitionPenalty(Double.NaN));
    }

    @Test
    @DisplayName("a penalty as small as 1e-40 saturates at the float range instead of overflowing")
    void tinyPenaltySaturates() {
        float[] logits = {2f, -3f, 1f};

        new RepetitionPenalty(1e-40).process(logits, TokenHistory.of(0, 1));

        assertThat(logits[0]).isEqualTo(Float.MAX_VALUE);
        assertThat(logits[1]).isBetween(-1e-38f, 0f);
        assertThat(logits[2]).isEqualTo(1f);
    }
}
