package dev.trimtab.training.train;

import dev.trimtab.decoding.io.AtomicFiles;
import dev.trimtab.decoding.onnx.FloatTensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named float tensors and a metadata string in one file, written atomically: the format of
 * checkpoints and trained weights.
 *
 * <pre>
 * "TTTF" version:int metadata:UTF count:int
 * count x ( name:UTF rank:int dims:int[rank] data:float32[product(dims)] little-endian )
 * </pre>
 *
 * @param metadata free text (JSON in practice), e.g. the step a checkpoint was taken at
 * @param tensors tensors by name, in file order
 */
public record TensorFile(String metadata, Map<String, FloatTensor> tensors) {
    private static final int MAGIC = 0x54545446;
    private static final int VERSION = 1;

    public TensorFile {
        tensors = new LinkedHashMap<>(tensors);
    }

    @Override
    public Map<String, FloatTensor> tensors() {
        return new LinkedHashMap<>(tensors);
    }

    /** Writes {@code file} atomically: a crash leaves the previous file or the new one, never half. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(metadata);
            out.writeInt(tensors.size());
            for (Map.Entry<String, FloatTensor> entry : tensors.entrySet()) {
                writeTensor(out, entry.getKey(), entry.getValue());
            }
            out.flush();
        });
    }

    private static void writeTensor(DataOutputStream out, String name, FloatTensor tensor) throws IOException {
        out.writeUTF(name);
        int[] shape = tensor.shape();
        out.writeInt(shape.length);
        for (int dim : shape) {
            out.writeInt(dim);
        }
        float[] data = tensor.data();
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        out.write(bytes.array());
    }

    /** Reads {@code file}; a missing, truncated or foreign file fails naming it. */
    public static TensorFile read(Path file) throws IOException {
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream in = new DataInputStream(stream);
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a trimtab tensor file (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has tensor-file version " + version + "; this build reads " + VERSION);
            }
            String metadata = in.readUTF();
            int count = in.readInt();
            Map<String, FloatTensor> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                tensors.put(name, readTensor(in));
            }
            return new TensorFile(metadata, tensors);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static FloatTensor readTensor(DataInputStream in) throws IOException {
        int rank = in.readInt();
        int[] shape = new int[rank];
        int size = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = in.readInt();
            size = Math.multiplyExact(size, shape[d]);
        }
        byte[] bytes = in.readNBytes(size * Float.BYTES);
        if (bytes.length != size * Float.BYTES) {
            throw new EOFException();
        }
        float[] data = new float[size];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new FloatTensor(shape, data);
    }
}
