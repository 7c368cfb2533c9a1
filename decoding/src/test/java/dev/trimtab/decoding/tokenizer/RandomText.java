package dev.trimtab.decoding.tokenizer;

import java.util.SplittableRandom;

/**
 * Seeded random strings that stress byte-level tokenization: ASCII, Latin-1, CJK, emoji (surrogate
 * pairs), combining marks, assorted whitespace and control characters.
 */
final class RandomText {

    /** Inclusive code point ranges, one per category, drawn with equal probability. */
    private static final int[][] RANGES = {
        {0x20, 0x7E}, // printable ASCII
        {0x61, 0x7A}, // lower-case letters, again, so that English merges fire
        {0xA0, 0xFF}, // Latin-1 supplement
        {0x4E00, 0x9FFF}, // CJK unified ideographs
        {0x1F300, 0x1F64F}, // emoji, outside the BMP
        {0x1F900, 0x1F9FF}, // more emoji
        {0x0300, 0x036F}, // combining diacritical marks
        {0x00, 0x1F}, // C0 controls, NUL included
    };

    private static final int[] WHITESPACE = {' ', ' ', '\t', '\n', '\r', 0x3000, 0x00A0, 0x2028};

    private RandomText() {}

    /** A string of up to {@code maxCodePoints} code points. */
    static String next(SplittableRandom random, int maxCodePoints) {
        int length = random.nextInt(maxCodePoints + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(nextCodePoint(random));
        }
        return text.toString();
    }

    private static int nextCodePoint(SplittableRandom random) {
        int category = random.nextInt(RANGES.length + 1);
        if (category == RANGES.length) {
            return WHITESPACE[random.nextInt(WHITESPACE.length)];
        }
        int[] range = RANGES[category];
        return random.nextInt(range[0], range[1] + 1);
    }
}
