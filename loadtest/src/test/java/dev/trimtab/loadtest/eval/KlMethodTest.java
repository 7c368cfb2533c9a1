package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KlMethodTest {
    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    @Test
    @DisplayName("tokens drawn from one reported distribution give a token-level KL; kept continuations give none")
    void byStrategy() {
        assertThat(KlMethod.of("none", EMPTY)).isEqualTo(KlMethod.TOKENS);
        assertThat(KlMethod.of("dera", EMPTY)).isEqualTo(KlMethod.TOKENS);
        assertThat(KlMethod.of("genarm", EMPTY)).isEqualTo(KlMethod.TOKENS);
        assertThat(KlMethod.of("args", EMPTY)).isEqualTo(KlMethod.TOKENS);
        assertThat(KlMethod.of("cd", EMPTY)).isEqualTo(KlMethod.TOKENS);
        assertThat(KlMethod.of("cd", EMPTY.deepCopy().put("mode", "blockwise"))).isEqualTo(KlMethod.UNMEASURED);
        assertThat(KlMethod.of("best_of_n", EMPTY)).isEqualTo(KlMethod.SELECTION);
        assertThat(KlMethod.of("speculative_rejection", EMPTY)).isEqualTo(KlMethod.UNMEASURED);
    }
}
