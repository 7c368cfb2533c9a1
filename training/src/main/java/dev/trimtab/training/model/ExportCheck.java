package dev.trimtab.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.training.data.TokenSequence;
import java.nio.file.Path;
import java.util.List;

/**
 * Verifies an export: the largest absolute difference between what the trained weights compute in
 * DJL and what the exported graph computes in ONNX Runtime, on real sequences (logits, or scores
 * per position, or pooled scores for the sequence-classification layout).
 */
public final class ExportCheck {
    private ExportCheck() {}

    /**
     * {@code max |DJL - ONNX|} over the outputs of {@code sequences} (right-padded with {@code pad}),
     * at their real positions (or pooled, for the sequence-classification layout).
     */
    public static float maxDifference(
            NDManager manager,
            Path directory,
            DecoderSpec spec,
            DecoderWeights weights,
            List<TokenSequence> sequences,
            long pad,
            boolean sequenceClassification)
            throws OrtException {
        float[] djl;
        long[][] ids;
        long[][] mask;
        try (DecoderParameters parameters = DecoderParameters.of(manager, spec, weights);
                StepScope step = StepScope.open(manager)) {
            DjlDecoder model = new DjlDecoder(parameters);
            PaddedBatch batch = PaddedBatch.of(step, sequences, pad);
            ids = rows(batch.ids());
            mask = rows(batch.mask());
            NDArray hidden = model.hidden(step.manager(), batch.ids(), batch.mask());
            NDArray out = spec.head() == DecoderSpec.Head.SCORE ? model.scores(hidden) : model.logits(hidden);
            djl = sequenceClassification
                    ? out.gather(batch.last(), 1).toFloatArray()
                    : OnnxOutputs.realPositions(
                            out.toFloatArray(), mask, Math.toIntExact(out.size() / out.size(0) / out.size(1)));
        }
        float[] onnx = sequenceClassification
                ? OnnxOutputs.sequenceClassification(directory, ids, mask)
                : OnnxOutputs.withEmptyPast(directory, spec, ids, mask);
        if (onnx.length != djl.length) {
            throw new IllegalStateException(
                    directory + ": ONNX gave " + onnx.length + " outputs where DJL gave " + djl.length);
        }
        float max = 0;
        for (int i = 0; i < djl.length; i++) {
            max = Math.max(max, Math.abs(djl[i] - onnx[i]));
        }
        return max;
    }

    private static long[][] rows(NDArray matrix) {
        int rows = Math.toIntExact(matrix.getShape().get(0));
        int columns = Math.toIntExact(matrix.getShape().get(1));
        long[] flat = matrix.toLongArray();
        long[][] out = new long[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * columns, out[r], 0, columns);
        }
        return out;
    }
}
