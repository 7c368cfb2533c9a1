package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TemperatureTest {

    @Test
    @DisplayName("divides every logit by T and keeps masked ones masked")
    void divides() {
        float[] logits = {1f, -3f, 0f, Float.NEGATIVE_INFINITY};

        new Temperature(0.5).process(logits, new TokenHistory());

        assertThat(logits).containsExactly(2f, -6f, 0f, Float.NEGATIVE_INFINITY);
    }

    @Test
    @DisplayName("a T as small as 1e-40 leaves the largest logit at 0 and the rest at -Infinity: greedy, no overflow")
    void tinyTemperature() {
        float[] logits = {1f, 3f, 2.5f, Float.NEGATIVE_INFINITY};

        new Temperature(1e-40).process(logits, new TokenHistory());

        assertThat(logits)
                .containsExactly(Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Test
    @DisplayName("rejects T = 0, which is greedy decoding, and NaN")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Temperature(0))
                .withMessageStartingWith("temperature must be in (0, 100]")
                .withMessageEndingWith("got 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> new Temperature(Double.NaN));
    }
}
