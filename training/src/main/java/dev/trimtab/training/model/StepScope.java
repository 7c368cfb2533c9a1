package dev.trimtab.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The native memory of one training or evaluation step: a sub-manager that holds the step's inputs
 * and, because every op is called on an activation, all of its temporaries. Closing it (safe to do
 * twice) frees them at once.
 */
public final class StepScope implements AutoCloseable {
    private final NDManager manager;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StepScope(NDManager manager) {
        this.manager = manager;
    }

    public static StepScope open(NDManager parent) {
        return new StepScope(parent.newSubManager());
    }

    public NDManager manager() {
        return manager;
    }

    /** A {@code [rows, columns]} int64 array of rectangular {@code values}. */
    public NDArray longs(long[][] values) {
        int columns = values.length == 0 ? 0 : values[0].length;
        long[] flat = new long[values.length * columns];
        for (int r = 0; r < values.length; r++) {
            System.arraycopy(values[r], 0, flat, r * columns, columns);
        }
        return manager.create(flat, new Shape(values.length, columns));
    }

    /** A {@code [rows, columns]} float32 array of rectangular {@code values}. */
    public NDArray floats(float[][] values) {
        int columns = values.length == 0 ? 0 : values[0].length;
        float[] flat = new float[values.length * columns];
        for (int r = 0; r < values.length; r++) {
            System.arraycopy(values[r], 0, flat, r * columns, columns);
        }
        return manager.create(flat, new Shape(values.length, columns));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
        }
    }
}
