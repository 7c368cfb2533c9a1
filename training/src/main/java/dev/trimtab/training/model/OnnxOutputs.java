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

    /** The {@code logits} output, flattened, of the decoder-with-past graph given an empty cache. */
    public static float[] withEmptyPast(Path directory, DecoderSpec spec, long[][] ids, long[][] mask)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> tensors = new ArrayList<>();
        try (OrtSession session =
                env.createSession(directory.resolve("model.onnx").toString())) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", track(tensors, OnnxTensor.createTensor(env, ids)));
            inputs.put("attention_mask", track(tensors, OnnxTensor.createTensor(env, mask)));
            inputs.put("position_ids", track(tensors, OnnxTensor.createTensor(env, positions(mask))));
            if (session.getInputNames().contains(DecoderTensorNames.LOGITS_TO_KEEP)) {
                inputs.put(DecoderTensorNames.LOGITS_TO_KEEP, track(tensors, OnnxTensor.createTensor(env, 0L)));
            }
            long[] empty = {ids.length, spec.kvHeads(), 0, spec.headDim()};
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
