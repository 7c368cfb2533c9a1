package dev.trimtab.decoding.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The key/value caches of a batch: for each layer a key and a value tensor
 * {@code [batch, kvHeads, length, headDim]}, each over a direct buffer of the model's {@link
 * CacheMemory} that ONNX Runtime wrote the pass's present into (a pinned output), so that the next
 * pass reads it as its past and a change of rows reads it in place: one copy per change, none
 * through the JVM heap. Elements are of the model's {@link CacheType} (float32, float16, bfloat16):
 * copies move bytes and never convert. Closing gives the buffers back; it is idempotent.
 */
public final class KvCache implements AutoCloseable {
    private static final byte[] ZEROS = new byte[16384];

    private final CacheShape shape;
    private final List<OnnxTensor> tensors;
    private final AutoCloseable owner;
    private final int batch;
    private final int length;
    private final CacheMemory memory;
    private final List<ByteBuffer> buffers;
    /** Bytes per element of the model's cache type. */
    private final int elementBytes;

    private boolean closed;
    /** Set when a cache over the same buffers took them over: closing then keeps them out of the pool. */
    private boolean handedOver;

    /**
     * @param tensors key0, value0, key1, value1, ...
     * @param owner what frees the tensors (an ONNX Runtime result), or null to close them one by one
     * @param memory the model's cache memory: its count of open tensors is raised here, lowered on close
     * @param buffers pooled buffers the tensors read, one per tensor in order (or none, for tensors
     *     ONNX Runtime allocated), given back to {@code memory} on close
     */
    KvCache(
            CacheShape shape,
            List<OnnxTensor> tensors,
            AutoCloseable owner,
            int batch,
            int length,
            CacheMemory memory,
            List<ByteBuffer> buffers) {
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
        this.elementBytes = memory.cacheType().bytes();
        memory.opened(this.tensors.size());
    }

    /** A cache of {@code batch} rows and no positions, the past of a prefill. */
    static KvCache empty(OrtEnvironment env, CacheShape shape, int batch, CacheMemory memory) throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * shape.layers(); i++) {
                tensors.add(memory.cacheType().tensor(env, ByteBuffer.allocateDirect(0), shape.dims(batch, 0)));
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

    /** Tensor {@code index} in the order key0, value0, key1, value1, ... */
    OnnxTensor tensor(int index) {
        return tensors.get(index);
    }

    OnnxTensor key(int layer) {
        return tensors.get(2 * layer);
    }

    OnnxTensor value(int layer) {
        return tensors.get(2 * layer + 1);
    }

    /**
     * A cache of {@code rows} rows of {@code positions} positions over pooled buffers with room for
     * an eighth more rows (at least one), so that rows can join in place; its contents are stale
     * until a pass writes them. A pass's present on a concatenating cache; on a shared cache, slots
     * of that capacity ({@link DecoderModel#sharedCache()}, each row's tokens from position 0).
     */
    static KvCache pooled(OrtEnvironment env, CacheShape shape, int rows, int positions, CacheMemory memory)
            throws OrtException {
        int elementBytes = memory.cacheType().bytes();
        long rowBytes = (long) shape.floatsPerPosition() * positions * elementBytes;
        long roomRows = rows + Math.max(1, rows / 8);
        List<OnnxTensor> tensors = new ArrayList<>();
        List<ByteBuffer> buffers = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * shape.layers(); i++) {
                ByteBuffer buffer = memory.take(rows * rowBytes, roomRows * rowBytes);
                buffers.add(buffer);
                tensors.add(memory.cacheType().tensor(env, buffer, shape.dims(rows, positions)));
            }
        } catch (OrtException | RuntimeException e) {
            tensors.forEach(OnnxTensor::close);
            buffers.forEach(memory::give);
            throw e;
        }
        return new KvCache(shape, tensors, null, rows, positions, memory, buffers);
    }

    /** One row of a shared-buffer cache and how many of its positions hold tokens. */
    record Slot(KvCache cache, int row, int positions) {}

    /**
     * A shared-buffer cache of {@code capacity} positions per row ({@link #pooled}), row {@code i} a
     * copy of the filled positions of {@code slots[i]}: forks, reorderings, joins that do not fit
     * and growth of the capacity.
     */
    static KvCache gather(OrtEnvironment env, List<Slot> slots, int capacity) throws OrtException {
        KvCache first = slots.get(0).cache();
        KvCache gathered = pooled(env, first.shape, slots.size(), capacity, first.memory);
        try {
            for (int i = 0; i < gathered.buffers.size(); i++) {
                ByteBuffer target = gathered.buffers.get(i);
                for (int r = 0; r < slots.size(); r++) {
                    Slot slot = slots.get(r);
                    slot.cache().copySlot(slot.cache().contents(i), slot.row(), target, r, capacity, slot.positions());
                }
            }
        } catch (RuntimeException e) {
            gathered.close();
            throw e;
        }
        return gathered;
    }

    /**
     * A shared-buffer cache with only {@code rows} (each once, {@code rows[i] >= i}) over the same
     * buffers: row {@code rows[i]}'s first {@code positions[i]} positions move to row {@code i}, in
     * ascending order so that no row is overwritten before it is read. This cache is closed, its
     * buffers handed over.
     */
    KvCache moveSlots(OrtEnvironment env, int[] rows, int[] positions) throws OrtException {
        KvCache moved = handOver(env, rows.length, length); // first: if it fails, no row has moved
        for (ByteBuffer buffer : buffers) {
            for (int r = 0; r < rows.length; r++) {
                if (rows[r] != r) {
                    copySlot(buffer, rows[r], buffer, r, length, positions[r]);
                }
            }
        }
        return moved;
    }

    /** Whether {@code rows} more rows fit in this shared-buffer cache's buffers. */
    boolean hasRoomFor(int rows) {
        long bytes = bytes(batch + rows, length);
        return inPlace() && buffers.stream().allMatch(buffer -> buffer.capacity() >= bytes);
    }

    /**
     * This shared-buffer cache's rows followed by {@code other}'s (row {@code r} with its first
     * {@code positions[r]} positions), written after the existing rows in the same buffers. Needs
     * {@link #hasRoomFor} and positions within this cache's capacity. This cache is closed, its
     * buffers handed over; {@code other} stays open.
     */
    KvCache appendSlots(OrtEnvironment env, KvCache other, int[] positions) throws OrtException {
        for (int i = 0; i < buffers.size(); i++) {
            ByteBuffer source = other.contents(i);
            for (int r = 0; r < other.batch; r++) {
                other.copySlot(source, r, buffers.get(i), batch + r, length, positions[r]);
            }
        }
        return handOver(env, batch + other.batch, length);
    }

    /**
     * Copies the first {@code positions} positions of row {@code row} of this cache (read from
     * {@code source}) into row {@code targetRow} of {@code target}, a layout of {@code
     * targetCapacity} positions per row: one block per kv head.
     */
    private void copySlot(
            ByteBuffer source, int row, ByteBuffer target, int targetRow, int targetCapacity, int positions) {
        int headBytes = shape.headDim() * elementBytes;
        int bytes = positions * headBytes;
        for (int h = 0; h < shape.kvHeads(); h++) {
            int from = (row * shape.kvHeads() + h) * length * headBytes;
            int to = (targetRow * shape.kvHeads() + h) * targetCapacity * headBytes;
            target.duplicate()
                    .clear()
                    .position(to)
                    .put(source.duplicate().clear().position(from).limit(from + bytes));
        }
        memory.copied((long) positions * shape.floatsPerPosition());
    }

    /**
     * A new cache holding {@code rows} of this one in that order, without its first
     * {@code dropLeading} positions (left padding that no remaining row needs).
     */
    KvCache select(OrtEnvironment env, int[] rows, int dropLeading) throws OrtException {
        int newLength = length - dropLeading;
        List<OnnxTensor> selected = new ArrayList<>();
        List<ByteBuffer> taken = new ArrayList<>();
        int headBytes = shape.headDim() * elementBytes;
        try {
            for (int i = 0; i < tensors.size(); i++) {
                ByteBuffer source = contents(i);
                ByteBuffer target = memory.take(bytes(rows.length, newLength));
                taken.add(target);
                for (int r = 0; r < rows.length; r++) {
                    for (int h = 0; h < shape.kvHeads(); h++) {
                        int from = ((rows[r] * shape.kvHeads() + h) * length + dropLeading) * headBytes;
                        target.put(source.slice(from, newLength * headBytes));
                    }
                }
                memory.copied(target.position() / elementBytes);
                selected.add(tensor(env, target.flip(), rows.length, newLength));
            }
        } catch (OrtException | RuntimeException e) {
            selected.forEach(OnnxTensor::close);
            taken.forEach(memory::give);
            throw e;
        }
        return new KvCache(shape, selected, null, rows.length, newLength, memory, taken);
    }

    /** Whether rows can move within this cache's own buffers, without a copy of the cache. */
    boolean inPlace() {
        return owner == null && buffers.size() == tensors.size() && !buffers.isEmpty();
    }

    /**
     * The cache with only {@code rows} over the same buffers, row {@code i} taken from row {@code
     * rows[i] >= i} (each once): moved in ascending order, no row is overwritten before it is read.
     * Only the rows that change places are copied, and nothing is allocated. This cache is closed,
     * its buffers handed over.
     */
    KvCache compact(OrtEnvironment env, int[] rows) throws OrtException {
        KvCache compacted = handOver(env, rows.length, length); // first: if it fails, no row has moved
        int rowBytes = (int) bytes(1, length);
        for (ByteBuffer buffer : buffers) {
            for (int r = 0; r < rows.length; r++) {
                if (rows[r] != r) {
                    moveRow(buffer, rows[r] * rowBytes, r * rowBytes, rowBytes);
                }
            }
        }
        memory.copied(countMoved(rows) * (long) shape.floatsPerPosition() * length * buffers.size());
        return compacted;
    }

    private static long countMoved(int[] rows) {
        long moved = 0;
        for (int r = 0; r < rows.length; r++) {
            moved += rows[r] != r ? 1 : 0;
        }
        return moved;
    }

    /** Whether {@code other}'s rows fit after this cache's rows in its buffers, padded to its length. */
    boolean canAppend(KvCache other) {
        long bytes = bytes(batch + other.batch, length);
        return inPlace() && other.length <= length && buffers.stream().allMatch(buffer -> buffer.capacity() >= bytes);
    }

    /**
     * This cache's rows followed by {@code other}'s, left-padded with zeros to this cache's length,
     * written after the existing rows in the same buffers: only {@code other}'s rows are copied.
     * This cache is closed, its buffers handed over; {@code other} stays open.
     */
    KvCache append(OrtEnvironment env, KvCache other) throws OrtException {
        int start = (int) bytes(batch, length);
        for (int i = 0; i < buffers.size(); i++) {
            ByteBuffer target = buffers.get(i).duplicate().clear().position(start);
            appendPadded(target, other, other.contents(i), length);
            memory.copied((target.position() - start) / elementBytes);
        }
        return handOver(env, batch + other.batch, length);
    }

    /** A cache of {@code newBatch} rows over this one's buffers; this one is closed without pooling them. */
    private KvCache handOver(OrtEnvironment env, int newBatch, int newLength) throws OrtException {
        int size = (int) bytes(newBatch, newLength);
        List<OnnxTensor> views = new ArrayList<>();
        List<ByteBuffer> reused = new ArrayList<>();
        try {
            for (ByteBuffer buffer : buffers) {
                ByteBuffer view = buffer.duplicate().clear().limit(size);
                reused.add(buffer);
                views.add(tensor(env, view, newBatch, newLength));
            }
        } catch (OrtException | RuntimeException e) {
            views.forEach(OnnxTensor::close);
            throw e;
        }
        handedOver = true;
        close();
        return new KvCache(shape, views, null, newBatch, newLength, memory, reused);
    }

    private static void moveRow(ByteBuffer buffer, int from, int to, int bytes) {
        buffer.duplicate()
                .clear()
                .position(to)
                .put(buffer.duplicate().clear().position(from).limit(from + bytes));
    }

    /** Bytes of {@code rows} rows of {@code positions} positions of one layer's key (or value). */
    private long bytes(int rows, int positions) {
        return (long) rows * shape.floatsPerPosition() * positions * elementBytes;
    }

    private OnnxTensor tensor(OrtEnvironment env, ByteBuffer contents, int rows, int positions) throws OrtException {
        return memory.cacheType().tensor(env, contents, shape.dims(rows, positions));
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
        List<ByteBuffer> taken = new ArrayList<>();
        try {
            for (int i = 0; i < first.tensors.size(); i++) {
                ByteBuffer target = first.memory.take(first.bytes(rows, newLength));
                taken.add(target);
                appendPadded(target, first, first.contents(i), newLength);
                appendPadded(target, second, second.contents(i), newLength);
                first.memory.copied(target.position() / first.elementBytes);
                joined.add(first.tensor(env, target.flip(), rows, newLength));
            }
        } catch (OrtException | RuntimeException e) {
            joined.forEach(OnnxTensor::close);
            taken.forEach(first.memory::give);
            throw e;
        }
        return new KvCache(shape, joined, null, rows, newLength, first.memory, taken);
    }

    private static void appendPadded(ByteBuffer target, KvCache cache, ByteBuffer source, int newLength) {
        int headBytes = cache.shape.headDim() * cache.elementBytes;
        int padding = (newLength - cache.length) * headBytes;
        int blocks = cache.batch * cache.shape.kvHeads();
        for (int b = 0; b < blocks; b++) {
            fillZeros(target, padding);
            target.put(source.slice(b * cache.length * headBytes, cache.length * headBytes));
        }
    }

    /**
     * The bytes tensor {@code index} holds, read in place from the buffer it was created over; ONNX
     * Runtime's own getter would copy them into a fresh heap buffer first.
     */
    private ByteBuffer contents(int index) {
        if (index < buffers.size()) {
            return buffers.get(index).duplicate().rewind().limit((int) bytes(batch, length));
        }
        return tensors.get(index).getByteBuffer();
    }

    /** Writes {@code count} zero bytes (0.0 in every float type): pooled buffers hold stale values. */
    private static void fillZeros(ByteBuffer target, int count) {
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
            if (!handedOver) {
                buffers.forEach(memory::give);
            }
            return;
        }
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the KV cache", e);
        }
    }
}
