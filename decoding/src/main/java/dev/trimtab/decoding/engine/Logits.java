package dev.trimtab.decoding.engine;

import java.nio.FloatBuffer;

/**
 * The next-token logits of every row of a batch after a forward pass: a view over the buffer that
 * ONNX Runtime wrote, valid until the batch's next pass.
 */
public final class Logits {
    private final FloatBuffer buffer;
    private final int rows;
    private final int positions;
    private final int vocab;

    Logits(FloatBuffer buffer, int rows, int positions, int vocab) {
        this.buffer = buffer;
        this.rows = rows;
        this.positions = positions;
        this.vocab = vocab;
    }

    public int rows() {
        return rows;
    }

    public int vocab() {
        return vocab;
    }

    /** Copies row {@code row}'s logits at its last position into {@code target} (length >= vocab). */
    public float[] copyRow(int row, float[] target) {
        buffer.get(offset(row), target, 0, vocab);
        return target;
    }

    /** Copies row {@code row}'s logits at position {@code position} of the pass into {@code target}. */
    float[] copyPosition(int row, int position, float[] target) {
        if (position < 0 || position >= positions) {
            throw new IndexOutOfBoundsException("position " + position + " of a pass of " + positions);
        }
        buffer.get(offset(row) - (positions - 1 - position) * vocab, target, 0, vocab);
        return target;
    }

    /** Row {@code row}'s logit of token {@code token} at its last position. */
    public float get(int row, int token) {
        return buffer.get(offset(row) + token);
    }

    private int offset(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of a batch of " + rows);
        }
        return (row * positions + positions - 1) * vocab;
    }
}
