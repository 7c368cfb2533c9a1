package dev.trimtab.decoding.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One reusable direct buffer per int64 input of a model. A tensor made from a heap buffer makes ONNX
 * Runtime's Java binding allocate a fresh direct copy per pass, freed only when the garbage collector
 * gets to it: resident memory then climbs to the direct-memory limit. A tensor over a direct buffer
 * reads it in place. Used by the one thread that runs the model.
 */
final class InputBuffers {
    private final Map<String, LongBuffer> buffers = new HashMap<>();

    /** {@code values} in the direct buffer of input {@code name}, valid until its next use. */
    LongBuffer fill(String name, long[] values) {
        LongBuffer buffer = buffers.get(name);
        if (buffer == null || buffer.capacity() < values.length) {
            int capacity = Math.max(values.length, buffer == null ? 0 : 2 * buffer.capacity());
            buffer = ByteBuffer.allocateDirect(capacity * Long.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asLongBuffer();
            buffers.put(name, buffer);
        }
        buffer.clear();
        buffer.put(values).flip();
        return buffer;
    }
}
