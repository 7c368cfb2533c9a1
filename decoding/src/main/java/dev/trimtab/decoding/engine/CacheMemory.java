package dev.trimtab.decoding.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The KV-cache memory of one model: a count of open cache tensors (to prove that nothing leaks) and
 * a pool of the direct buffers that copied caches (rows leaving or joining a batch) are built in.
 * Reusing buffers spares a fresh allocation per copy, which the JVM zeroes and the kernel maps page
 * by page: under continuous batching that was the largest cost outside ONNX Runtime.
 */
final class CacheMemory {
    /**
     * Pooled bytes kept at least, whatever the caches' size: small models keep their buffers too.
     * Beyond it the pool keeps as many bytes as the caches ever held at once (a pass holds its past
     * and its present, so the pool holds about two caches of the largest batch): the pool follows
     * the model and the load instead of a fixed size.
     */
    static final long MIN_POOLED_BYTES = 64L << 20;

    /**
     * The capacity a fresh buffer gets: the next size class at or above {@code floats}, classes
     * growing by half from 4096 floats. A batch that grows by a position per pass then finds a
     * freed buffer of its class for many passes, and buffers of one class are interchangeable.
     */
    static int sizeClass(int floats) {
        long size = 4096;
        while (size < floats) {
            size += size / 2;
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, size);
    }

    private final AtomicInteger live = new AtomicInteger();
    private final AtomicLong copiedFloats = new AtomicLong();
    private final AtomicLong allocatedFloats = new AtomicLong();
    private final TreeMap<Integer, ArrayDeque<Pooled>> free = new TreeMap<>();
    private long pooledBytes;
    private long takenBytes;
    private long peakTakenBytes;
    private long clock;

    /** A free buffer and when it was given back, for evicting the least recently given first. */
    private record Pooled(FloatBuffer buffer, long givenAt) {}

    void opened(int tensors) {
        live.addAndGet(tensors);
    }

    void closed(int tensors) {
        live.addAndGet(-tensors);
    }

    int liveTensors() {
        return live.get();
    }

    /** Counts floats copied from one cache into another (rows leaving, joining or forking). */
    void copied(long floats) {
        copiedFloats.addAndGet(floats);
    }

    long copiedFloats() {
        return copiedFloats.get();
    }

    /** Floats of the fresh (zeroed) direct buffers allocated because none in the pool fit. */
    long allocatedFloats() {
        return allocatedFloats.get();
    }

    /**
     * A direct buffer of exactly {@code floats} remaining, reused when a free one is at most twice as
     * large. Its content is stale: callers write every position they hand to ONNX Runtime.
     */
    FloatBuffer take(int floats) {
        return take(floats, floats);
    }

    /**
     * A direct buffer of {@code floats} remaining and at least {@code capacity} capacity (room for
     * rows to join in place), reused when a free one is at most twice that large.
     */
    synchronized FloatBuffer take(int floats, int capacity) {
        Map.Entry<Integer, ArrayDeque<Pooled>> fit = free.ceilingEntry(capacity);
        if (fit == null || fit.getKey() > 2L * capacity) {
            allocatedFloats.addAndGet(sizeClass(capacity));
            taken((long) sizeClass(capacity) * Float.BYTES);
            return ByteBuffer.allocateDirect(sizeClass(capacity) * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer()
                    .limit(floats);
        }
        FloatBuffer buffer = fit.getValue().pop().buffer();
        if (fit.getValue().isEmpty()) {
            free.remove(fit.getKey());
        }
        pooledBytes -= (long) buffer.capacity() * Float.BYTES;
        taken((long) buffer.capacity() * Float.BYTES);
        return buffer.clear().limit(floats);
    }

    /**
     * Returns a buffer taken here, once no tensor reads it any more. When the pool is full the
     * buffers given back longest ago leave it first: what the batches need drifts as their lengths
     * grow and their rows change.
     */
    synchronized void give(FloatBuffer buffer) {
        long bytes = (long) buffer.capacity() * Float.BYTES;
        takenBytes -= bytes;
        long limit = Math.max(MIN_POOLED_BYTES, 2 * peakTakenBytes);
        if (buffer.capacity() == 0 || bytes > limit) {
            return;
        }
        while (pooledBytes + bytes > limit) {
            evictOldest();
        }
        free.computeIfAbsent(buffer.capacity(), capacity -> new ArrayDeque<>()).push(new Pooled(buffer, clock++));
        pooledBytes += bytes;
    }

    private void taken(long bytes) {
        takenBytes += bytes;
        peakTakenBytes = Math.max(peakTakenBytes, takenBytes);
    }

    private void evictOldest() {
        Map.Entry<Integer, ArrayDeque<Pooled>> oldest = null;
        for (Map.Entry<Integer, ArrayDeque<Pooled>> entry : free.entrySet()) {
            if (oldest == null
                    || entry.getValue().peekLast().givenAt()
                            < oldest.getValue().peekLast().givenAt()) {
                oldest = entry;
            }
        }
        oldest.getValue().pollLast();
        pooledBytes -= (long) oldest.getKey() * Float.BYTES;
        if (oldest.getValue().isEmpty()) {
            free.remove(oldest.getKey());
        }
    }
}
