package dev.trimtab.decoding.engine;

import ai.onnxruntime.OrtException;

/** Counts forward passes and splits their time into {@code session.run} and everything around it. */
public final class StepTimer {
    private long passes;
    private long runNanos;
    private long passNanos;

    /** A call into ONNX Runtime. */
    @FunctionalInterface
    interface Run<T> {
        T call() throws OrtException;
    }

    <T> T timeRun(Run<T> run) throws OrtException {
        long start = System.nanoTime();
        try {
            return run.call();
        } finally {
            runNanos += System.nanoTime() - start;
        }
    }

    void endPass(long startNanos) {
        passes++;
        passNanos += System.nanoTime() - startNanos;
    }

    /** Forward passes since creation or the last reset. */
    public long passes() {
        return passes;
    }

    /** Nanoseconds inside {@code session.run}. */
    public long runNanos() {
        return runNanos;
    }

    /** Nanoseconds of whole passes: input tensors, {@code session.run}, cache hand-over. */
    public long passNanos() {
        return passNanos;
    }

    public void reset() {
        passes = 0;
        runNanos = 0;
        passNanos = 0;
    }
}
