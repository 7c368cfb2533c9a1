package dev.trimtab.decoding.engine;

import java.util.Arrays;

/**
 * Operations on a row-major attention mask {@code [rows, length]} whose padding is always on the
 * left: every row is some zeros followed by ones; and the right-padded masks of shared caches.
 */
final class MaskLayout {
    private MaskLayout() {}

    /** A right-padded mask {@code [lengths.length, width]}: row {@code r} has {@code lengths[r]} ones, then zeros. */
    static long[] rightPadded(int[] lengths, int width) {
        long[] mask = new long[lengths.length * width];
        for (int r = 0; r < lengths.length; r++) {
            Arrays.fill(mask, r * width, r * width + lengths[r], 1L);
        }
        return mask;
    }

    /** The mask with a column of ones appended: every row gains one real position. */
    static long[] appendColumn(long[] mask, int rows, int length) {
        long[] grown = new long[rows * (length + 1)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(mask, r * length, grown, r * (length + 1), length);
            grown[r * (length + 1) + length] = 1;
        }
        return grown;
    }

    /** The given rows, in order, without their first {@code drop} columns. */
    static long[] select(long[] mask, int length, int[] rows, int drop) {
        int newLength = length - drop;
        long[] selected = new long[rows.length * newLength];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(mask, rows[i] * length + drop, selected, i * newLength, newLength);
        }
        return selected;
    }

    /** The rows of both masks, each left-padded with zeros to the longer length. */
    static long[] concat(
            long[] first, int firstRows, int firstLength, long[] second, int secondRows, int secondLength) {
        int length = Math.max(firstLength, secondLength);
        long[] joined = new long[(firstRows + secondRows) * length];
        copyPadded(first, firstRows, firstLength, joined, 0, length);
        copyPadded(second, secondRows, secondLength, joined, firstRows, length);
        return joined;
    }

    private static void copyPadded(long[] source, int rows, int sourceLength, long[] target, int firstRow, int length) {
        for (int r = 0; r < rows; r++) {
            int to = (firstRow + r) * length + length - sourceLength;
            System.arraycopy(source, r * sourceLength, target, to, sourceLength);
        }
    }

    /** Positions of the real tokens of a left-padded row: 0, 1, 2, ... after the padding (padding gets 0). */
    static long[] positions(long[] mask, int rows, int length) {
        long[] positions = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            long next = 0;
            for (int c = 0; c < length; c++) {
                int i = r * length + c;
                positions[i] = mask[i] == 0 ? 0 : next++;
            }
        }
        return positions;
    }
}
