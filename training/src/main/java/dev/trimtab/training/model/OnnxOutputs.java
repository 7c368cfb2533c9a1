package dev.trimtab.training.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.model.DecoderTensorNames;
import dev.trimtab.decoding.onnx.DecoderSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an exported {@code model.onnx} with ONNX Runtime on one padded batch: what the exporter's
 * graph computes, to hold against {@link DjlDecoder} (the export check of every trained model and
 * the parity tests).
 */
public final class OnnxOutputs {
    private OnnxOutputs() {}

    /**
     * The {@code logits} output of the decoder-with-past graph given an empty cache, at the real
     * positions of each row ({@code mask} 1) in row order, flattened: each row runs alone, its real
     * tokens only, so that graphs of either padding convention (left-padded concatenating caches,
     * right-padded shared ones) are checked on what they compute for real tokens.
     */
    public static float[] withEmptyPast(Path directory, DecoderSpec spec, long[][] ids, long[][] mask)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<float[]> rows = new ArrayList<>();
        try (OrtSession session =
                env.createSession(directory.resolve("model.onnx").toString())) {
            for (int r = 0; r < ids.length; r++) {
                rows.add(alone(env, session, spec, realTokens(ids[r], mask[r])));
            }
        }
        int size = rows.stream().mapToInt(row -> row.length).sum();
        float[] out = new float[size];
        int next = 0;
        for (float[] row : rows) {
            System.arraycopy(row, 0, out, next, row.length);
            next += row.length;
        }
        return out;
    }

    /**
     * The entries of {@code perPosition} ({@code [rows, positions, width]}, flattened) at the real
     * positions of {@code mask}, in row order: what {@link #withEmptyPast} returns, from a padded batch.
     */
    public static float[] realPositions(float[] perPosition, long[][] mask, int width) {
        int positions = mask[0].length;
        float[] out = new float
                [(int) Arrays.stream(mask).flatMapToLong(Arrays::stream).sum() * width];
        int next = 0;
        for (int r = 0; r < mask.length; r++) {
            for (int t = 0; t < positions; t++) {
                if (mask[r][t] == 1) {
                    System.arraycopy(perPosition, (r * positions + t) * width, out, next, width);
                    next += width;
                }
            }
        }
        return out;
    }

    private static long[] realTokens(long[] ids, long[] mask) {
        long[] tokens = new long[(int) Arrays.stream(mask).sum()];
        int next = 0;
        for (int t = 0; t < ids.length; t++) {
            if (mask[t] == 1) {
                tokens[next++] = ids[t];
            }
        }
        return tokens;
    }

    /** One row's logits at every position, the row run alone from an empty cache. */
    private static float[] alone(OrtEnvironment env, OrtSession session, DecoderSpec spec, long[] tokens)
            throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            long[][] ids = {tokens};
            long[][] mask = {new long[tokens.length]};
            Arrays.fill(mask[0], 1L);
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", track(tensors, OnnxTensor.createTensor(env, ids)));
            inputs.put("attention_mask", track(tensors, OnnxTensor.createTensor(env, mask)));
            inputs.put("position_ids", track(tensors, OnnxTensor.createTensor(env, positions(mask))));
            if (session.getInputNames().contains(DecoderTensorNames.LOGITS_TO_KEEP)) {
                inputs.put(DecoderTensorNames.LOGITS_TO_KEEP, track(tensors, OnnxTensor.createTensor(env, 0L)));
            }
            long[] empty = {1, spec.kvHeads(), 0, spec.headDim()};
            for (int i = 0; i < spec.layers(); i++) {
                inputs.put(DecoderTensorNames.OPTIMUM.pastKey(i), track(tensors, emptyCache(env, empty)));
                inputs.put(DecoderTensorNames.OPTIMUM.pastValue(i), track(tensors, emptyCache(env, empty)));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return flatten((OnnxTensor) result.get("logits").orElseThrow());
            }
        } finally {
            for (OnnxTensor tensor : tensors) {
                tensor.close();
            }
        }
    }

    /** The {@code logits [batch, 1]} output of the sequence-classification graph. */
    public static float[] sequenceClassification(Path directory, long[][] ids, long[][] mask) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session =
                        env.createSession(directory.resolve("model.onnx").toString());
                OnnxTensor idTensor = OnnxTensor.createTensor(env, ids);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor))) {
            return flatten((OnnxTensor) result.get("logits").orElseThrow());
        }
    }

    /** The positions the engine feeds: {@code max(cumsum(mask) - 1, 0)} per row. */
    public static long[][] positions(long[][] mask) {
        long[][] positions = new long[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            positions[b] = new long[mask[b].length];
            long count = 0;
            for (int t = 0; t < mask[b].length; t++) {
                count += mask[b][t];
                positions[b][t] = Math.max(0, count - 1);
            }
        }
        return positions;
    }

    private static OnnxTensor emptyCache(OrtEnvironment env, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
    }

    private static OnnxTensor track(List<OnnxTensor> tensors, OnnxTensor tensor) {
        tensors.add(tensor);
        return tensor;
    }

    private static float[] flatten(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
