package dev.trimtab.decoding.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Optional;

/**
 * An element type of the tensors the engine exchanges with a decoder in bulk (past and present
 * keys and values, logits): float32, float16 or bfloat16. Caches stay in the model's own type;
 * logits are widened to float32 once per pass, at the edge, for sampling and the strategies.
 */
public enum CacheType {
    FLOAT(OnnxJavaType.FLOAT, "float32"),
    FLOAT16(OnnxJavaType.FLOAT16, "float16"),
    BFLOAT16(OnnxJavaType.BFLOAT16, "bfloat16");

    private final OnnxJavaType onnxType;
    private final String label;

    CacheType(OnnxJavaType onnxType, String label) {
        this.onnxType = onnxType;
        this.label = label;
    }

    /** The type of an ONNX Runtime tensor's elements, when it is one of these. */
    static Optional<CacheType> of(OnnxJavaType type) {
        for (CacheType candidate : values()) {
            if (candidate.onnxType == type) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Bytes per element. */
    public int bytes() {
        return onnxType.size;
    }

    /** The name ONNX gives the type: {@code float32}, {@code float16}, {@code bfloat16}. */
    public String label() {
        return label;
    }

    /**
     * A tensor of shape {@code dims} over {@code bytes} (position to limit) without a copy when
     * {@code bytes} is direct.
     */
    OnnxTensor tensor(OrtEnvironment env, ByteBuffer bytes, long[] dims) throws OrtException {
        ByteBuffer nativeOrder = bytes.order(ByteOrder.nativeOrder());
        if (this == FLOAT) {
            return OnnxTensor.createTensor(env, nativeOrder.asFloatBuffer(), dims);
        }
        return OnnxTensor.createTensor(env, nativeOrder.asShortBuffer(), dims, onnxType);
    }

    /** Widens {@code count} elements of {@code source} (from its position) into {@code target} at its position. */
    void widen(ByteBuffer source, FloatBuffer target, int count) {
        ByteBuffer ordered = source.duplicate().order(ByteOrder.nativeOrder());
        if (this == FLOAT) {
            target.put(ordered.asFloatBuffer().limit(count));
            return;
        }
        ShortBuffer halves = ordered.asShortBuffer();
        int start = target.position();
        for (int i = 0; i < count; i++) {
            short half = halves.get(i);
            target.put(start + i, this == FLOAT16 ? Float.float16ToFloat(half) : Float.intBitsToFloat(half << 16));
        }
        target.position(start + count);
    }
}
