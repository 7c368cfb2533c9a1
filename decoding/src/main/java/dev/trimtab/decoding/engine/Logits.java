package dev.trimtab.decoding.engine;

import java.nio.FloatBuffer;
import java.util.List;

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

    /**
     * The last-position logits of every row of {@code parts}, in order, copied into one heap buffer:
     * readable whatever happens to the batches they came from.
     */
    public static Logits lastPositions(List<Logits> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no logits to put together");
        }
        int vocab = parts.get(0).vocab;
        int rows = 0;
        for (Logits part : parts) {
            if (part.vocab != vocab) {
                throw new IllegalArgumentException("logits of vocabularies " + vocab + " and " + part.vocab);
            }
            rows += part.rows;
        }
        float[] copied = new float[rows * vocab];
        float[] row = new float[vocab];
        int next = 0;
        for (Logits part : parts) {
            for (int r = 0; r < part.rows; r++) {
                System.arraycopy(part.copyRow(r, row), 0, copied, next++ * vocab, vocab);
            }
        }
        return new Logits(FloatBuffer.wrap(copied), rows, 1, vocab);
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
