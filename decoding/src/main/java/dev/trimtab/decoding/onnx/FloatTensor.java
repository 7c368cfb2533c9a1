package dev.trimtab.decoding.onnx;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: the unit in which weights travel to the ONNX writer.
 *
 * @param shape dimensions, each at least 1
 * @param data values, {@code product(shape)} of them
 */
public record FloatTensor(int[] shape, float[] data) {

    public FloatTensor {
        shape = shape.clone();
        long size = 1;
        for (int dim : shape) {
            if (dim < 1) {
                throw new IllegalArgumentException("tensor dimensions must be >= 1, got " + Arrays.toString(shape));
            }
            size *= dim;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "tensor of shape " + Arrays.toString(shape) + " needs " + size + " values, got " + data.length);
        }
    }

    /** A tensor of zeros. */
    public static FloatTensor zeros(int... shape) {
        return new FloatTensor(shape, new float[Math.toIntExact(size(shape))]);
    }

    /** A tensor filled with {@code value}. */
    public static FloatTensor filled(float value, int... shape) {
        float[] data = new float[Math.toIntExact(size(shape))];
        Arrays.fill(data, value);
        return new FloatTensor(shape, data);
    }

    private static long size(int[] shape) {
        long size = 1;
        for (int dim : shape) {
            size *= dim;
        }
        return size;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FloatTensor that && Arrays.equals(shape, that.shape) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
