package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

    @Test
    @DisplayName("runs of one character and words repeated three times back to back are loops; ordinary text is not")
    void degenerate() {
        assertThat(TextMetrics.degenerate(" The blender is great.........")).isTrue();
        assertThat(TextMetrics.degenerate(" great great great value")).isTrue();
        assertThat(TextMetrics.degenerate(" I loved it. I loved it. I loved it."))
                .isTrue();
        assertThat(TextMetrics.degenerate(" It works. It works. And it is quiet."))
                .isFalse();
        assertThat(TextMetrics.degenerate(" The lamp is bright... and cheap!!")).isFalse();
        assertThat(TextMetrics.degenerate("")).isFalse();
    }

    @Test
    @DisplayName("distinct-2 counts distinct word bigrams over all bigrams, without crossing completions")
    void distinct2() {
        // "a b c" has a-b, b-c; "a b" has a-b: 2 distinct of 3
        assertThat(TextMetrics.distinct2(List.of("a b c", "A b"))).isEqualTo(2.0 / 3);
        assertThat(TextMetrics.distinct2(List.of("one", ""))).isNaN();
    }
}
