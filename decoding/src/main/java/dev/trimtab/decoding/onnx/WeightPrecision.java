package dev.trimtab.decoding.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The number format {@link DecoderExporter} writes a decoder's weights in.
 *
 * <ul>
 *   <li>{@link Format#FP32}: float32 throughout.
 *   <li>{@link Format#FP16}: float16 weights, activations, past/present keys and values and logits,
 *       as Optimum's fp16 exports are (ONNX Runtime runs the ops its CPU provider lacks in float32,
 *       with casts it inserts itself).
 *   <li>{@link Format#INT8}, {@link Format#INT4}: weight-only block-wise quantization of every
 *       linear layer and of the language-model head, written as ONNX Runtime's {@code
 *       com.microsoft.MatMulNBits} with float32 inputs and outputs (what ONNX Runtime GenAI's model
 *       builder writes); the embedding is stored in float16. Caches and logits stay float32.
 * </ul>
 *
 * @param format the number format
 * @param blockSize weights per quantization block along the input dimension (a power of two, at
 *     least 16; default 32); ignored by the float formats
 * @param symmetric whether each block has a scale only (zero point 2^(bits-1), the operator's
 *     default) or a scale and a zero point of its own (asymmetric, the block's minimum and maximum
 *     both representable)
 * @param accuracyLevel {@code MatMulNBits}'s {@code accuracy_level}: 0 computes in the input's type,
 *     4 lets ONNX Runtime quantize the activations to int8 block-wise (its fastest CPU path, what
 *     the model builder writes for CPU); default 4
 */
public record WeightPrecision(Format format, int blockSize, boolean symmetric, int accuracyLevel) {

    /** Default quantization block: 32 weights, as the model builder's. */
    public static final int DEFAULT_BLOCK_SIZE = 32;

    /** Default {@code accuracy_level}: int8 activations, ONNX Runtime's fastest CPU kernels. */
    public static final int DEFAULT_ACCURACY_LEVEL = 4;

    /** Float32 weights: what every export was before formats existed. */
    public static final WeightPrecision FP32 = of(Format.FP32);

    /** The number formats. */
    public enum Format {
        FP32(32),
        FP16(16),
        INT8(8),
        INT4(4);

        private final int bits;

        Format(int bits) {
            this.bits = bits;
        }

        /** Bits per weight (of the quantized code for the integer formats). */
        public int bits() {
            return bits;
        }

        public boolean quantized() {
            return this == INT8 || this == INT4;
        }

        /** The lower-case name used on the command line and in manifests. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WeightPrecision {
        Objects.requireNonNull(format, "format");
        List<String> errors = new ArrayList<>();
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
            errors.add("block size must be a power of two >= 16, got " + blockSize);
        }
        if (accuracyLevel < 0 || accuracyLevel > 4) {
            errors.add("accuracy level must be in [0, 4], got " + accuracyLevel);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    /** {@code format} with the default block size, symmetric blocks and the default accuracy level. */
    public static WeightPrecision of(Format format) {
        return new WeightPrecision(format, DEFAULT_BLOCK_SIZE, true, DEFAULT_ACCURACY_LEVEL);
    }

    public WeightPrecision withBlockSize(int newBlockSize) {
        return new WeightPrecision(format, newBlockSize, symmetric, accuracyLevel);
    }

    public WeightPrecision withSymmetric(boolean newSymmetric) {
        return new WeightPrecision(format, blockSize, newSymmetric, accuracyLevel);
    }

    public WeightPrecision withAccuracyLevel(int newAccuracyLevel) {
        return new WeightPrecision(format, blockSize, symmetric, newAccuracyLevel);
    }

    /** A short description: {@code fp16}, {@code int4 (block 32, symmetric)}. */
    public String describe() {
        if (!format.quantized()) {
            return format.label();
        }
        return format.label() + " (block " + blockSize + ", " + (symmetric ? "symmetric" : "asymmetric") + ")";
    }
}
