package dev.trimtab.decoding.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The key/value caches of a batch: for each layer a key and a value tensor
 * {@code [batch, kvHeads, length, headDim]}. A cache produced by a forward pass stays in the
 * tensors ONNX Runtime returned (no copy) until rows are removed or joined, which copies.
 * Closing is idempotent.
 */
public final class KvCache implements AutoCloseable {
    private static final float[] ZEROS = new float[4096];

    private final CacheShape shape;
    private final List<OnnxTensor> tensors;
    private final AutoCloseable owner;
    private final int batch;
    private final int length;
    private final CacheMemory memory;
    private final List<FloatBuffer> buffers;
    private boolean closed;

    /**
     * @param tensors key0, value0, key1, value1, ...
     * @param owner what frees the tensors (an ONNX Runtime result), or null to close them one by one
     * @param memory the model's cache memory: its count of open tensors is raised here, lowered on close
     * @param buffers pooled buffers the tensors read, given back to {@code memory} on close
     */
    KvCache(
            CacheShape shape,
            List<OnnxTensor> tensors,
            AutoCloseable owner,
            int batch,
            int length,
            CacheMemory memory,
            List<FloatBuffer> buffers) {
        if (tensors.size() != 2 * shape.layers()) {
            throw new IllegalArgumentException("a cache of " + shape.layers() + " layers needs " + 2 * shape.layers()
                    + " tensors, got " + tensors.size());
        }
        this.shape = shape;
        this.tensors = List.copyOf(tensors);
        this.owner = owner;
        this.batch = batch;
        this.length = length;
        this.memory = memory;
        this.buffers = List.copyOf(buffers);
        memory.opened(this.tensors.size());
    }

    /** A cache of {@code batch} rows and no positions, the past of a prefill. */
    static KvCache empty(OrtEnvironment env, CacheShape shape, int batch, CacheMemory memory) throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * shape.layers(); i++) {
                tensors.add(OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape.dims(batch, 0)));
            }
        } catch (OrtException | RuntimeException e) {
            tensors.forEach(OnnxTensor::close);
            throw e;
        }
        return new KvCache(shape, tensors, null, batch, 0, memory, List.of());
    }

    public int batch() {
        return batch;
    }

    public int length() {
        return length;
    }

    public CacheShape shape() {
        return shape;
    }

    OnnxTensor key(int layer) {
        return tensors.get(2 * layer);
    }

    OnnxTensor value(int layer) {
        return tensors.get(2 * layer + 1);
    }

    /**
     * A new cache holding {@code rows} of this one in that order, without its first
     * {@code dropLeading} positions (left padding that no remaining row needs).
     */
    KvCache select(OrtEnvironment env, int[] rows, int dropLeading) throws OrtException {
        int newLength = length - dropLeading;
        List<OnnxTensor> selected = new ArrayList<>();
        List<FloatBuffer> taken = new ArrayList<>();
        try {
            for (OnnxTensor tensor : tensors) {
                FloatBuffer source = tensor.getFloatBuffer();
                FloatBuffer target = memory.take(rows.length * shape.floatsPerPosition() * newLength);
                taken.add(target);
                for (int r = 0; r < rows.length; r++) {
                    for (int h = 0; h < shape.kvHeads(); h++) {
                        int from = ((rows[r] * shape.kvHeads() + h) * length + dropLeading) * shape.headDim();
                        target.put(source.slice(from, newLength * shape.headDim()));
                    }
                }
                selected.add(OnnxTensor.createTensor(env, target.flip(), shape.dims(rows.length, newLength)));
            }
        } catch (OrtException | RuntimeException e) {
            selected.forEach(OnnxTensor::close);
            taken.forEach(memory::give);
            throw e;
        }
        return new KvCache(shape, selected, null, rows.length, newLength, memory, taken);
    }

    /**
     * The rows of {@code first} followed by those of {@code second}, each left-padded with zeros to
     * the longer length (the attention mask hides the padding).
     */
    static KvCache concat(OrtEnvironment env, KvCache first, KvCache second) throws OrtException {
        CacheShape shape = first.shape;
        int newLength = Math.max(first.length, second.length);
        int rows = first.batch + second.batch;
        List<OnnxTensor> joined = new ArrayList<>();
        List<FloatBuffer> taken = new ArrayList<>();
        try {
            for (int i = 0; i < first.tensors.size(); i++) {
                FloatBuffer target = first.memory.take(rows * shape.floatsPerPosition() * newLength);
                taken.add(target);
                appendPadded(target, first, first.tensors.get(i), newLength);
                appendPadded(target, second, second.tensors.get(i), newLength);
                joined.add(OnnxTensor.createTensor(env, target.flip(), shape.dims(rows, newLength)));
            }
        } catch (OrtException | RuntimeException e) {
            joined.forEach(OnnxTensor::close);
            taken.forEach(first.memory::give);
            throw e;
        }
        return new KvCache(shape, joined, null, rows, newLength, first.memory, taken);
    }

    private static void appendPadded(FloatBuffer target, KvCache cache, OnnxTensor tensor, int newLength) {
        int headDim = cache.shape.headDim();
        int padding = (newLength - cache.length) * headDim;
        FloatBuffer source = tensor.getFloatBuffer();
        int blocks = cache.batch * cache.shape.kvHeads();
        for (int b = 0; b < blocks; b++) {
            fillZeros(target, padding);
            target.put(source.slice(b * cache.length * headDim, cache.length * headDim));
        }
    }

    /** Writes {@code count} zeros: pooled buffers hold stale values, and padding must read as empty. */
    private static void fillZeros(FloatBuffer target, int count) {
        for (int left = count; left > 0; left -= ZEROS.length) {
            target.put(ZEROS, 0, Math.min(left, ZEROS.length));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.closed(tensors.size());
        if (owner == null) {
            tensors.forEach(OnnxTensor::close);
            buffers.forEach(memory::give);
            return;
        }
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the KV cache", e);
        }
    }
}
