package dev.trimtab.decoding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlockQuantizerTest {
    /** bits, block size, symmetric, K (40 leaves a partial last block of 16 or 32). */
    static Stream<Arguments> formats() {
        return Stream.of(
                Arguments.of(4, 32, true, 64),
                Arguments.of(4, 32, false, 64),
                Arguments.of(4, 16, false, 40),
                Arguments.of(8, 32, true, 40),
                Arguments.of(8, 64, false, 128),
                Arguments.of(4, 64, true, 40));
    }

    @ParameterizedTest(name = "int{0}, block {1}, symmetric {2}, K {3}")
    @MethodSource("formats")
    @DisplayName(
            "each weight reads back, unpacked from the operator's documented layout, within half a step of its block")
    void roundTrip(int bits, int blockSize, boolean symmetric, int k) {
        int n = 24;
        FloatTensor weight = random(k, n, 5);
        BlockQuantizer.QuantizedMatrix q = BlockQuantizer.quantize(weight, false, bits, blockSize, symmetric);
        int blocks = (k + blockSize - 1) / blockSize;
        assertThat(q.codes()).hasSize(n * blocks * blockSize * bits / 8);
        assertThat(q.scales()).hasSize(n * blocks);
        float[] dequantized = dequantize(q.codes(), q.scales(), q.zeroPoints(), k, n, bits, blockSize);
        for (int row = 0; row < k; row++) {
            for (int column = 0; column < n; column++) {
                float scale = q.scales()[column * blocks + row / blockSize];
                assertThat(dequantized[row * n + column])
                        .as("w[%d][%d]", row, column)
                        .isCloseTo(weight.data()[row * n + column], within(scale / 2 + 1e-6f));
            }
        }
        if (symmetric) {
            assertThat(q.zeroPoints()).isNull();
        } else {
            assertThat(q.zeroPoints()).hasSize(n * ((blocks * bits + 7) / 8));
        }
    }

    @ParameterizedTest(name = "int{0}, block {1}, symmetric {2}, K {3}")
    @MethodSource("formats")
    @DisplayName("ONNX Runtime's MatMulNBits computes x times the independently dequantized weights")
    void onnxRuntimeReadsTheLayout(int bits, int blockSize, boolean symmetric, int k) throws Exception {
        int n = 24;
        int m = 3;
        FloatTensor weight = random(k, n, 6);
        BlockQuantizer.QuantizedMatrix q = BlockQuantizer.quantize(weight, false, bits, blockSize, symmetric);
        float[] dequantized = dequantize(q.codes(), q.scales(), q.zeroPoints(), k, n, bits, blockSize);
        float[] x = random(m, k, 7).data();
        float[] actual = runMatMulNBits(q, x, m, bits, blockSize);
        for (int row = 0; row < m; row++) {
            for (int column = 0; column < n; column++) {
                double expected = 0;
                for (int i = 0; i < k; i++) {
                    expected += x[row * k + i] * dequantized[i * n + column];
                }
                assertThat(actual[row * n + column])
                        .as("y[%d][%d]", row, column)
                        .isCloseTo((float) expected, within(1e-4f));
            }
        }
    }

    @ParameterizedTest(name = "int{0}, block {1}, symmetric {2}, K {3}")
    @MethodSource("formats")
    @DisplayName("an output-major matrix (an embedding as the tied head) quantizes as its transpose")
    void outputMajorIsTheTranspose(int bits, int blockSize, boolean symmetric, int k) {
        int n = 24;
        FloatTensor weight = random(k, n, 8);
        float[] transposed = new float[k * n];
        for (int row = 0; row < k; row++) {
            for (int column = 0; column < n; column++) {
                transposed[column * k + row] = weight.data()[row * n + column];
            }
        }
        BlockQuantizer.QuantizedMatrix direct = BlockQuantizer.quantize(weight, false, bits, blockSize, symmetric);
        BlockQuantizer.QuantizedMatrix fromTranspose = BlockQuantizer.quantize(
                new FloatTensor(new int[] {n, k}, transposed), true, bits, blockSize, symmetric);
        assertThat(fromTranspose.codes()).isEqualTo(direct.codes());
        assertThat(fromTranspose.scales()).isEqualTo(direct.scales());
        assertThat(fromTranspose.zeroPoints()).isEqualTo(direct.zeroPoints());
    }

    /**
     * Dequantizes as ONNX Runtime's MatMulNBits documents it, written apart from the quantizer:
     * B [N, blocks, blockSize * bits / 8] with codes low bits first, scales [N * blocks], zero
     * points [N, ceil(blocks * bits / 8)] packed the same way, default 2^(bits - 1). Returns W [K, N].
     */
    private static float[] dequantize(
            byte[] codes, float[] scales, byte[] zeroPoints, int k, int n, int bits, int blockSize) {
        int blocks = (k + blockSize - 1) / blockSize;
        int codesPerColumn = blocks * blockSize;
        int zeroBytesPerColumn = (blocks * bits + 7) / 8;
        float[] w = new float[k * n];
        for (int column = 0; column < n; column++) {
            for (int row = 0; row < k; row++) {
                int block = row / blockSize;
                int code = unpack(codes, column * codesPerColumn + row, bits);
                int zero = zeroPoints == null
                        ? 1 << (bits - 1)
                        : unpack(zeroPoints, column * zeroBytesPerColumn * (8 / bits) + block, bits);
                w[row * n + column] = (code - zero) * scales[column * blocks + block];
            }
        }
        return w;
    }

    private static int unpack(byte[] packed, int index, int bits) {
        if (bits == 8) {
            return packed[index] & 0xFF;
        }
        int value = packed[index / 2] & 0xFF;
        return index % 2 == 0 ? value & 0x0F : value >>> 4;
    }

    private static float[] runMatMulNBits(BlockQuantizer.QuantizedMatrix q, float[] x, int m, int bits, int blockSize)
            throws Exception {
        OnnxGraphBuilder g = new OnnxGraphBuilder("matmulnbits");
        g.input("x", DataType.FLOAT, m, q.k());
        int blocks = q.blocksPerColumn();
        List<String> inputs = new ArrayList<>(List.of(
                "x",
                g.raw("b", DataType.UINT8, new long[] {q.n(), blocks, q.blobSize()}, q.codes()),
                g.raw("scales", DataType.FLOAT, new long[] {(long) q.n() * blocks}, floats(q.scales()))));
        if (q.zeroPoints() != null) {
            inputs.add(g.raw(
                    "zero_points",
                    DataType.UINT8,
                    new long[] {(long) q.n() * q.zeroPointBytesPerColumn()},
                    q.zeroPoints()));
        }
        g.opInDomain(
                "com.microsoft",
                "MatMulNBits",
                inputs,
                List.of("y"),
                OnnxGraphBuilder.attribute("K", (long) q.k()),
                OnnxGraphBuilder.attribute("N", (long) q.n()),
                OnnxGraphBuilder.attribute("bits", (long) bits),
                OnnxGraphBuilder.attribute("block_size", (long) blockSize),
                OnnxGraphBuilder.attribute("accuracy_level", 0L));
        g.output("y", DataType.FLOAT, m, q.n());
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder()
                        .setDomain("com.microsoft")
                        .setVersion(1))
                .setGraph(g.build())
                .build();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toByteArray());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {m, q.k()});
                OrtSession.Result result = session.run(Map.of("x", input))) {
            FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[y.remaining()];
            y.get(values);
            return values;
        }
    }

    private static byte[] floats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    private static FloatTensor random(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[rows * columns];
        for (int i = 0; i < data.length; i++) {
            // Mostly small weights with the odd outlier, as trained matrices have.
            data[i] = (float) (random.nextGaussian() * (random.nextInt(16) == 0 ? 0.5 : 0.05));
        }
        return new FloatTensor(new int[] {rows, columns}, data);
    }
}
