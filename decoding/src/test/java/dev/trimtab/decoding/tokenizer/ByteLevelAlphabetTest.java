package dev.trimtab.decoding.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ByteLevelAlphabetTest {

    @Test
    @DisplayName("maps the 256 byte values to 256 distinct printable characters and back")
    void isABijection() {
        Set<Character> symbols = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.charOf(b);
            symbols.add(c);
            assertThat(Character.isWhitespace(c) || Character.isISOControl(c))
                    .as("symbol of byte %d", b)
                    .isFalse();
            assertThat(ByteLevelAlphabet.byteOf(c)).isEqualTo(b);
        }
        assertThat(symbols).hasSize(256);
    }

    @Test
    @DisplayName("agrees with GPT-2's bytes_to_unicode on printable bytes, space, newline and the last shifted byte")
    void matchesGpt2() {
        assertThat(ByteLevelAlphabet.charOf('A')).isEqualTo('A');
        assertThat(ByteLevelAlphabet.charOf(0xE9)).isEqualTo('é');
        assertThat(ByteLevelAlphabet.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteLevelAlphabet.charOf('\n')).isEqualTo('Ċ');
        assertThat(ByteLevelAlphabet.charOf(0)).isEqualTo('Ā');
        assertThat(ByteLevelAlphabet.charOf(0xAD)).isEqualTo('Ń');
    }

    @Test
    @DisplayName("encodes and decodes random byte arrays losslessly")
    void roundTripsBytes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            String symbols = ByteLevelAlphabet.encode(bytes);
            assertThat(symbols).hasSize(bytes.length);
            assertThat(ByteLevelAlphabet.decode(symbols)).isEqualTo(bytes);
        }
    }

    @Test
    @DisplayName("rejects byte values outside [0, 255] and characters outside the alphabet, naming them")
    void rejectsBadInput() {
        assertThatThrownBy(() -> ByteLevelAlphabet.charOf(256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("byte value must be in [0, 255], got 256");
        assertThatThrownBy(() -> ByteLevelAlphabet.byteOf(' '))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0020");
        assertThatThrownBy(() -> ByteLevelAlphabet.decode("ĠA中"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+4E2D at index 2");
    }
}
