package dev.trimtab.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The weights of a decoder as DJL arrays, under the exporter's names ({@link DecoderWeights}).
 * Linear weights are held in PyTorch's {@code [out, in]} layout, so that the forward pass runs
 * {@code torch.nn.functional.linear}; {@link #toWeights()} transposes them back to the exporter's
 * {@code [in, out]}. Embedding tables ({@code embed.weight}, {@code pos_embed.weight}) have the same
 * layout in both.
 *
 * <p>All arrays live in one sub-manager of the caller's manager, freed by {@link #close()} (safe to
 * call twice).
 */
public final class DecoderParameters implements AutoCloseable {
    private final DecoderSpec spec;
    private final NDManager manager;
    private final Map<String, NDArray> arrays;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DecoderParameters(DecoderSpec spec, NDManager manager, Map<String, NDArray> arrays) {
        this.spec = spec;
        this.manager = manager;
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /** Copies {@code weights} (validated against {@code spec}) into a new sub-manager of {@code parent}. */
    public static DecoderParameters of(NDManager parent, DecoderSpec spec, DecoderWeights weights) {
        weights.validate(spec);
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        DecoderWeights.expectedShapes(spec).keySet().forEach(name -> arrays.put(name, toArray(manager, name, weights)));
        return new DecoderParameters(spec, manager, arrays);
    }

    private static NDArray toArray(NDManager manager, String name, DecoderWeights weights) {
        FloatTensor tensor = weights.get(name);
        int[] shape = tensor.shape();
        boolean linear = isLinear(name, shape);
        float[] data = linear ? transpose(tensor.data(), shape[0], shape[1]) : tensor.data();
        Shape layout = linear ? new Shape(shape[1], shape[0]) : new Shape(toLongs(shape));
        // DJL wraps the Java buffer in place; a copy into libtorch's own (64-byte aligned) memory makes
        // the math kernels take the same code path every run, so that training replays bit for bit.
        try (NDArray wrapped = manager.create(data, layout)) {
            return wrapped.duplicate();
        }
    }

    /** Whether {@code name} is a matrix stored {@code [in, out]} by the exporter and {@code [out, in]} here. */
    static boolean isLinear(String name, int[] shape) {
        return shape.length == 2 && !name.equals("embed.weight") && !name.equals("pos_embed.weight");
    }

    public DecoderSpec spec() {
        return spec;
    }

    /** The array named {@code name}; fails naming the known names when it is absent. */
    public NDArray get(String name) {
        NDArray array = arrays.get(name);
        if (array == null) {
            throw new IllegalArgumentException(
                    "no parameter " + name + "; the " + spec.family() + " decoder has " + arrays.keySet());
        }
        return array;
    }

    /** Whether the decoder has a parameter {@code name}. */
    public boolean has(String name) {
        return arrays.containsKey(name);
    }

    /** Every parameter by name, in the exporter's order. */
    public Map<String, NDArray> asMap() {
        return arrays;
    }

    /** Number of scalar parameters. */
    public long count() {
        return arrays.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Marks every parameter as trainable, so that backward passes fill its gradient. */
    public DecoderParameters trainable() {
        arrays.values().forEach(array -> array.setRequiresGradient(true));
        return this;
    }

    /** Reads the arrays back into the exporter's layout. */
    public DecoderWeights toWeights() {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        arrays.forEach((name, array) -> tensors.put(name, toTensor(name, array)));
        return new DecoderWeights(tensors);
    }

    private static FloatTensor toTensor(String name, NDArray array) {
        long[] dims = array.getShape().getShape();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        float[] data = array.toFloatArray();
        if (!isLinear(name, shape)) {
            return new FloatTensor(shape, data);
        }
        return new FloatTensor(new int[] {shape[1], shape[0]}, transpose(data, shape[0], shape[1]));
    }

    /** The transpose of a row-major {@code rows x columns} matrix. */
    static float[] transpose(float[] data, int rows, int columns) {
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[c * rows + r] = data[r * columns + c];
            }
        }
        return out;
    }

    private static long[] toLongs(int[] shape) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        return dims;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
        }
    }
}
