package dev.trimtab.decoding.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The KV-cache memory of one model: a count of open cache tensors (to prove that nothing leaks) and
 * a pool of the direct buffers that copied caches (rows leaving or joining a batch) are built in.
 * Reusing buffers spares a fresh allocation per copy, which the JVM zeroes and the kernel maps page
 * by page: under continuous batching that was the largest cost outside ONNX Runtime.
 */
final class CacheMemory {
    /** Pooled bytes kept at most; buffers beyond it are left to the garbage collector. */
    static final long MAX_POOLED_BYTES = 256L << 20;

    private final AtomicInteger live = new AtomicInteger();
    private final TreeMap<Integer, ArrayDeque<FloatBuffer>> free = new TreeMap<>();
    private long pooledBytes;

    void opened(int tensors) {
        live.addAndGet(tensors);
    }

    void closed(int tensors) {
        live.addAndGet(-tensors);
    }

    int liveTensors() {
        return live.get();
    }

    /**
     * A direct buffer of exactly {@code floats} remaining, reused when a free one is at most twice as
     * large. Its content is stale: callers write every position they hand to ONNX Runtime.
     */
    synchronized FloatBuffer take(int floats) {
        Map.Entry<Integer, ArrayDeque<FloatBuffer>> fit = free.ceilingEntry(floats);
        if (fit == null || fit.getKey() > 2L * floats) {
            return ByteBuffer.allocateDirect(floats * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        FloatBuffer buffer = fit.getValue().pop();
        if (fit.getValue().isEmpty()) {
            free.remove(fit.getKey());
        }
        pooledBytes -= (long) buffer.capacity() * Float.BYTES;
        return buffer.clear().limit(floats);
    }

    /** Returns a buffer taken here, once no tensor reads it any more. */
    synchronized void give(FloatBuffer buffer) {
        long bytes = (long) buffer.capacity() * Float.BYTES;
        if (buffer.capacity() == 0 || pooledBytes + bytes > MAX_POOLED_BYTES) {
            return;
        }
        free.computeIfAbsent(buffer.capacity(), capacity -> new ArrayDeque<>()).push(buffer);
        pooledBytes += bytes;
    }
}
