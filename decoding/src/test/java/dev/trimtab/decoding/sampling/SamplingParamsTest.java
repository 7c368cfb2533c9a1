package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    private static SamplingParams params(double temperature, int topK, double topP, double minP, double penalty) {
        return new SamplingParams(temperature, topK, topP, minP, penalty, OptionalLong.empty(), 16, List.of(), false);
    }

    @Test
    @DisplayName("defaults are temperature 1, no filters, no penalty, no seed, 16 tokens, no stop, EOS honoured")
    void defaults() {
        assertThat(SamplingParams.defaults())
                .isEqualTo(new SamplingParams(1.0, 0, 1.0, 0.0, 1.0, OptionalLong.empty(), 16, List.of(), false));
        assertThat(SamplingParams.defaults().greedy()).isFalse();
    }

    @Test
    @DisplayName("each wither replaces its own field and keeps the others")
    void withers() {
        SamplingParams p = SamplingParams.defaults()
                .withTemperature(0)
                .withTopK(40)
                .withTopP(0.9)
                .withMinP(0.05)
                .withRepetitionPenalty(1.3)
                .withSeed(7)
                .withMaxTokens(128)
                .withStop(List.of("\n\n"))
                .withIgnoreEos(true);

        assertThat(p)
                .isEqualTo(new SamplingParams(0, 40, 0.9, 0.05, 1.3, OptionalLong.of(7), 128, List.of("\n\n"), true));
        assertThat(p.greedy()).isTrue();
    }

    @Test
    @DisplayName("every invalid field is reported in one exception, with its name, range and bad value")
    void reportsAllViolations() {
        List<String> stops = new ArrayList<>(Collections.nCopies(15, "ok"));
        stops.add("");
        stops.add("x".repeat(257));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SamplingParams(Double.NaN, -1, 0.0, 1.5, 0.0, null, 0, stops, false))
                .satisfies(e -> assertThat(e.getMessage().split("; "))
                        .containsExactly(
                                "temperature must be in [0, 100], got NaN",
                                "top_k must be >= 0, got -1",
                                "top_p must be in (0, 1], got 0.0",
                                "min_p must be in [0, 1], got 1.5",
                                "repetition_penalty must be in (0, 10], got 0.0",
                                "max_tokens must be in [1, 1000000], got 0",
                                "seed must not be null (use OptionalLong.empty() for a random seed)",
                                "stop must hold at most 16 sequences, got 17",
                                "stop[15] must be a non-empty string, got \"\"",
                                "stop[16] must be at most 256 chars, got 257"));
    }

    @Test
    @DisplayName("infinities, negatives and values just past each bound are rejected")
    void rejectsOutOfRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> params(Double.POSITIVE_INFINITY, 0, 1, 0, 1))
                .withMessage("temperature must be in [0, 100], got Infinity");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> params(-0.1, 0, 1, 0, 1))
                .withMessage("temperature must be in [0, 100], got -0.1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> params(100.5, 0, Double.NEGATIVE_INFINITY, Double.NaN, 10.01))
                .withMessage("temperature must be in [0, 100], got 100.5; top_p must be in (0, 1], got -Infinity; "
                        + "min_p must be in [0, 1], got NaN; repetition_penalty must be in (0, 10], got 10.01");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SamplingParams.defaults().withMaxTokens(1_000_001))
                .withMessage("max_tokens must be in [1, 1000000], got 1000001");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SamplingParams.defaults().withStop(null))
                .withMessage("stop must not be null (use List.of() for no stop sequences)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SamplingParams.defaults().withStop(Collections.singletonList(null)))
                .withMessage("stop[0] must be a non-empty string, got null");
    }

    @Test
    @DisplayName("every bound itself is accepted")
    void acceptsBounds() {
        List<String> sixteenLongest = Collections.nCopies(16, "y".repeat(256));

        assertThatNoException().isThrownBy(() -> params(0, 0, 1, 0, 10));
        assertThatNoException().isThrownBy(() -> params(100, Integer.MAX_VALUE, Double.MIN_VALUE, 1, Double.MIN_VALUE));
        assertThatNoException()
                .isThrownBy(() -> SamplingParams.defaults().withMaxTokens(1).withStop(sixteenLongest));
        assertThatNoException().isThrownBy(() -> SamplingParams.defaults().withMaxTokens(1_000_000));
    }

    @Test
    @DisplayName("the stop list is copied, so later changes to the caller's list do not leak in")
    void copiesStop() {
        List<String> stops = new ArrayList<>(List.of("END"));
        SamplingParams p = SamplingParams.defaults().withStop(stops);
        stops.add("MORE");

        assertThat(p.stop()).containsExactly("END");
    }
}
