package dev.trimtab.decoding.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's {@code bytes_to_unicode} table: a one-to-one map between the 256 byte values and 256
 * printable characters, so that byte-level BPE symbols can be stored as ordinary strings in {@code
 * vocab.json}/{@code tokenizer.json}.
 *
 * <p>The printable bytes {@code '!'..'~'}, {@code '¡'..'¬'} and {@code '®'..'ÿ'} map to the
 * character of the same code; the other 68 bytes (controls, space, DEL, NBSP, soft hyphen...) map,
 * in byte order, to {@code U+0100} upwards. Hence a space is {@code 'Ġ'} (U+0120) and a newline
 * {@code 'Ċ'} (U+010A).
 */
public final class ByteLevelAlphabet {

    /** Number of symbols: one per byte value. */
    public static final int SIZE = 256;

    private static final char[] CHAR_OF_BYTE = buildTable();
    private static final int[] BYTE_OF_CHAR = invert(CHAR_OF_BYTE);

    private ByteLevelAlphabet() {}

    /** The symbol of byte value {@code b}, which must be in [0, 255]. */
    public static char charOf(int b) {
        if (b < 0 || b >= SIZE) {
            throw new IllegalArgumentException("byte value must be in [0, 255], got " + b);
        }
        return CHAR_OF_BYTE[b];
    }

    /** The byte value in [0, 255] of symbol {@code c}; fails when {@code c} is not a symbol. */
    public static int byteOf(char c) {
        int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
        if (b < 0) {
            throw new IllegalArgumentException(
                    "character U+%04X is not in the GPT-2 byte-level alphabet".formatted((int) c));
        }
        return b;
    }

    /** Whether {@code c} is one of the 256 symbols. */
    public static boolean contains(char c) {
        return c < BYTE_OF_CHAR.length && BYTE_OF_CHAR[c] >= 0;
    }

    /** The symbols of {@code bytes}, one character per byte. */
    public static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** The bytes spelled by {@code symbols}; fails, naming the index, on a non-symbol character. */
    public static byte[] decode(String symbols) {
        byte[] bytes = new byte[symbols.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = symbols.charAt(i);
            if (!contains(c)) {
                throw new IllegalArgumentException(
                        ("character U+%04X at index %d of \"%s\" is not in the GPT-2" + " byte-level alphabet")
                                .formatted((int) c, i, symbols));
            }
            bytes[i] = (byte) BYTE_OF_CHAR[c];
        }
        return bytes;
    }

    private static char[] buildTable() {
        char[] table = new char[SIZE];
        int next = SIZE;
        for (int b = 0; b < SIZE; b++) {
            table[b] = isPrintable(b) ? (char) b : (char) next++;
        }
        return table;
    }

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    private static int[] invert(char[] table) {
        int[] inverse = new int[2 * SIZE];
        Arrays.fill(inverse, -1);
        for (int b = 0; b < SIZE; b++) {
            inverse[table[b]] = b;
        }
        return inverse;
    }
}
