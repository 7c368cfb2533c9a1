package dev.trimtab.decoding.engine;

/**
 * The geometry of a model's KV cache: {@code layers} pairs of tensors
 * {@code [batch, kvHeads, length, headDim]}.
 */
public record CacheShape(int layers, int kvHeads, int headDim) {

    public CacheShape {
        if (layers < 0 || kvHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("cache shape needs layers >= 0, kvHeads >= 1, headDim >= 1, got "
                    + layers + ", " + kvHeads + ", " + headDim);
        }
    }

    /** Floats of one row at one position over all heads of one layer's key (or value). */
    public int floatsPerPosition() {
        return kvHeads * headDim;
    }

    public long[] dims(int batch, int length) {
        return new long[] {batch, kvHeads, length, headDim};
    }
}
