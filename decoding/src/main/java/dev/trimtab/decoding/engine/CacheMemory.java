package dev.trimtab.decoding.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The KV-cache memory of one model: a count of open cache tensors (to prove that nothing leaks) and
 * a pool of the direct buffers that copied caches (rows leaving or joining a batch) are built in.
 * Reusing buffers spares a fresh allocation per copy, which the JVM zeroes and the kernel maps page
 * by page: under continuous batching that was the largest cost outside ONNX Runtime. Buffers are
 * counted in bytes, so that one pool serves caches of the model's element type (float32, float16)
 * and float32 logits alike.
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
     * The capacity a fresh buffer gets: the next size class at or above {@code bytes}, classes
     * growing by half from 16 KiB. A batch that grows by a position per pass then finds a freed
     * buffer of its class for many passes, and buffers of one class are interchangeable.
     */
    static int sizeClass(long bytes) {
        long size = 16384;
        while (size < bytes) {
            size += size / 2;
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, size);
    }

    private final CacheType cacheType;
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicLong copiedValues = new AtomicLong();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final TreeMap<Integer, ArrayDeque<Pooled>> free = new TreeMap<>();
    private long pooledBytes;
    private long takenBytes;
    private long peakTakenBytes;
    private long clock;

    /** A free buffer and when it was given back, for evicting the least recently given first. */
    private record Pooled(ByteBuffer buffer, long givenAt) {}

    /** @param cacheType the element type of the model's caches */
    CacheMemory(CacheType cacheType) {
        this.cacheType = cacheType;
    }

    CacheType cacheType() {
        return cacheType;
    }

    void opened(int tensors) {
        live.addAndGet(tensors);
    }

    void closed(int tensors) {
        live.addAndGet(-tensors);
    }

    int liveTensors() {
        return live.get();
    }

    /** Counts cache values (elements of the cache type) copied from one cache into another. */
    void copied(long values) {
        copiedValues.addAndGet(values);
    }

    long copiedValues() {
        return copiedValues.get();
    }

    /** Bytes of the fresh (zeroed) direct buffers allocated because none in the pool fit. */
    long allocatedBytes() {
        return allocatedBytes.get();
    }

    /**
     * A direct buffer of exactly {@code bytes} remaining, reused when a free one is at most twice as
     * large. Its content is stale: callers write every position they hand to ONNX Runtime.
     */
    ByteBuffer take(long bytes) {
        return take(bytes, bytes);
    }

    /**
     * A direct buffer of {@code bytes} remaining and at least {@code capacity} bytes of capacity
     * (room for rows to join in place), reused when a free one is at most twice that large.
     */
    synchronized ByteBuffer take(long bytes, long capacity) {
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "a cache tensor of " + capacity + " bytes exceeds 2 GiB; use fewer rows");
        }
        Map.Entry<Integer, ArrayDeque<Pooled>> fit = free.ceilingEntry((int) capacity);
        if (fit == null || fit.getKey() > 2L * capacity) {
            int size = sizeClass(capacity);
            allocatedBytes.addAndGet(size);
            taken(size);
            return ByteBuffer.allocateDirect(size)
                    .order(ByteOrder.nativeOrder())
                    .limit((int) bytes);
        }
        ByteBuffer buffer = fit.getValue().pop().buffer();
        if (fit.getValue().isEmpty()) {
            free.remove(fit.getKey());
        }
        pooledBytes -= buffer.capacity();
        taken(buffer.capacity());
        return buffer.clear().limit((int) bytes);
    }

    /**
     * Returns a buffer taken here, once no tensor reads it any more. When the pool is full the
     * buffers given back longest ago leave it first: what the batches need drifts as their lengths
     * grow and their rows change.
     */
    synchronized void give(ByteBuffer buffer) {
        long bytes = buffer.capacity();
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
        pooledBytes -= oldest.getKey();
        if (oldest.getValue().isEmpty()) {
            free.remove(oldest.getKey());
        }
    }
}
