package dev.trimtab.decoding.onnx;

/**
 * Block-wise weight quantization in the layout of ONNX Runtime's {@code com.microsoft.MatMulNBits}.
 * The weight {@code W [K, N]} (input by output) is cut along K into blocks of {@code blockSize};
 * each block of each output column {@code n} gets a scale {@code s} and a zero point {@code z}, and
 * its weights become codes {@code q = clamp(round(w / s) + z, 0, 2^bits - 1)}, read back as
 * {@code (q - z) s}.
 *
 * <ul>
 *   <li>Symmetric: {@code z = 2^(bits-1)} (the operator's default, so no zero-point input) and
 *       {@code s = max|w| / (2^(bits-1) - 1)}: codes 1 to 2^bits - 1 are used, 0 never.
 *   <li>Asymmetric: the block's range widened to include 0, {@code s = (max - min) / (2^bits - 1)},
 *       {@code z = round(-min / s)}.
 * </ul>
 *
 * Layouts: {@code B [N, kBlocks, blockSize * bits / 8]} uint8, codes packed low bits first along K
 * (for 4 bits, the even position in the low nibble); {@code scales [N * kBlocks]} float;
 * {@code zero_points [N * ceil(kBlocks * bits / 8)]} uint8 packed the same way. A last block that K
 * does not fill is padded with weights 0.
 */
final class BlockQuantizer {
    private BlockQuantizer() {}

    /** The quantized form of one weight matrix, ready to be written as initializers. */
    record QuantizedMatrix(int k, int n, int bits, int blockSize, byte[] codes, float[] scales, byte[] zeroPoints) {

        int blocksPerColumn() {
            return Math.ceilDiv(k, blockSize);
        }

        int blobSize() {
            return blockSize * bits / 8;
        }

        int zeroPointBytesPerColumn() {
            return Math.ceilDiv(blocksPerColumn() * bits, 8);
        }

        boolean symmetric() {
            return zeroPoints == null;
        }
    }

    /**
     * Quantizes {@code weight}: {@code [K, N]} when {@code outputMajor} is false (the exporter's
     * {@code y = x W} layout), {@code [N, K]} when true (an embedding used as the tied head).
     */
    static QuantizedMatrix quantize(
            FloatTensor weight, boolean outputMajor, int bits, int blockSize, boolean symmetric) {
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("bits must be 4 or 8, got " + bits);
        }
        int[] shape = weight.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("only matrices are quantized, got " + weight);
        }
        int k = outputMajor ? shape[1] : shape[0];
        int n = outputMajor ? shape[0] : shape[1];
        float[] w = weight.data();
        int blocks = Math.ceilDiv(k, blockSize);
        int blob = blockSize * bits / 8;
        int zeroBytes = Math.ceilDiv(blocks * bits, 8);
        byte[] codes = new byte[n * blocks * blob];
        float[] scales = new float[n * blocks];
        byte[] zeroPoints = symmetric ? null : new byte[n * zeroBytes];
        float[] block = new float[blockSize];
        for (int column = 0; column < n; column++) {
            for (int b = 0; b < blocks; b++) {
                for (int i = 0; i < blockSize; i++) {
                    int row = b * blockSize + i;
                    block[i] = row >= k ? 0f : outputMajor ? w[column * k + row] : w[row * n + column];
                }
                int cell = column * blocks + b;
                int zero = symmetric ? 1 << (bits - 1) : asymmetricZeroPoint(block, bits);
                float scale = symmetric ? symmetricScale(block, bits) : asymmetricScale(block, bits);
                scales[cell] = scale;
                if (!symmetric) {
                    pack(zeroPoints, column * zeroBytes * 8 / bits + b, bits, zero);
                }
                for (int i = 0; i < blockSize; i++) {
                    pack(codes, cell * blob * 8 / bits + i, bits, code(block[i], scale, zero, bits));
                }
            }
        }
        return new QuantizedMatrix(k, n, bits, blockSize, codes, scales, zeroPoints);
    }

    private static float symmetricScale(float[] block, int bits) {
        float max = 0;
        for (float value : block) {
            max = Math.max(max, Math.abs(value));
        }
        return max == 0 ? 1f : max / ((1 << (bits - 1)) - 1);
    }

    private static float asymmetricScale(float[] block, int bits) {
        float min = 0;
        float max = 0;
        for (float value : block) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return max == min ? 1f : (max - min) / ((1 << bits) - 1);
    }

    private static int asymmetricZeroPoint(float[] block, int bits) {
        float min = 0;
        for (float value : block) {
            min = Math.min(min, value);
        }
        return clamp(Math.round(-min / asymmetricScale(block, bits)), bits);
    }

    private static int code(float value, float scale, int zero, int bits) {
        return clamp(Math.round(value / scale) + zero, bits);
    }

    private static int clamp(int code, int bits) {
        return Math.max(0, Math.min((1 << bits) - 1, code));
    }

    /** Writes {@code value} as the {@code index}-th code of {@code bits} bits, low bits first. */
    private static void pack(byte[] target, int index, int bits, int value) {
        if (bits == 8) {
            target[index] = (byte) value;
            return;
        }
        int at = index / 2;
        target[at] = (byte) (index % 2 == 0 ? (target[at] & 0xF0) | value : (target[at] & 0x0F) | (value << 4));
    }
}
