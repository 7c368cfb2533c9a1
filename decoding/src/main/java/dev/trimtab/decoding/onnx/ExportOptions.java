package dev.trimtab.decoding.onnx;

import dev.trimtab.decoding.model.DecoderTensorNames;
import java.util.Objects;

/**
 * How {@link DecoderExporter} lays out a decoder graph.
 *
 * @param layout one {@code model.onnx}, or the legacy merged {@code decoder_model_merged.onnx}
 *     with a {@code use_cache_branch} input, or (score heads only) Optimum's sequence-classification
 *     {@code model.onnx}: inputs {@code input_ids}, {@code attention_mask}, output {@code logits
 *     [batch, 1]} pooled at each row's last real token, no cache
 * @param positionIdsInput whether {@code position_ids} is an input; without it the graph derives
 *     positions from the attention mask, as some exports do
 * @param names tensor names; names other than Optimum's are recorded in a {@code genai_config.json}
 * @param logitsToKeepInput whether a language-model graph takes {@link
 *     DecoderTensorNames#LOGITS_TO_KEEP}, so that a prefill computes the head at the last position
 *     only
 * @param precision the number format of the weights (and, for fp16, of activations, caches and
 *     logits)
 * @param sharedCache whether a language-model graph keeps each layer's keys and values in one
 *     buffer that the pass reads as its past and writes its present into, a slot of fixed capacity
 *     per row (ONNX Runtime's {@code GroupQueryAttention}, as ONNX Runtime GenAI's models do): a
 *     step then appends in place instead of copying the whole cache. Applies where {@link
 *     DecoderGraph#sharesCache} allows (single file, position ids and {@code num_logits_to_keep}
 *     inputs, float32 activations, head size a multiple of 8); other graphs concatenate.
 */
public record ExportOptions(
        Layout layout,
        boolean positionIdsInput,
        DecoderTensorNames names,
        boolean logitsToKeepInput,
        WeightPrecision precision,
        boolean sharedCache) {

    /** File layouts of a decoder-with-past export. */
    public enum Layout {
        SINGLE_FILE,
        MERGED,
        SEQUENCE_CLASSIFICATION
    }

    /**
     * The single-file layout with every input and a shared cache where the graph allows one: what
     * the trainer and {@code make-model} export. Shared-cache graphs need ONNX Runtime's contrib
     * operators and right-padded rows (the engine's own convention; see {@link #sharedCache}), so
     * tools that run Optimum's graphs their own way want {@code withSharedCache(false)}.
     */
    public static final ExportOptions DEFAULT =
            new ExportOptions(Layout.SINGLE_FILE, true, DecoderTensorNames.OPTIMUM, true, WeightPrecision.FP32, true);

    public ExportOptions {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(precision, "precision");
    }

    public ExportOptions withLayout(Layout newLayout) {
        return new ExportOptions(newLayout, positionIdsInput, names, logitsToKeepInput, precision, sharedCache);
    }

    public ExportOptions withPositionIdsInput(boolean newPositionIdsInput) {
        return new ExportOptions(layout, newPositionIdsInput, names, logitsToKeepInput, precision, sharedCache);
    }

    public ExportOptions withNames(DecoderTensorNames newNames) {
        return new ExportOptions(layout, positionIdsInput, newNames, logitsToKeepInput, precision, sharedCache);
    }

    public ExportOptions withLogitsToKeepInput(boolean value) {
        return new ExportOptions(layout, positionIdsInput, names, value, precision, sharedCache);
    }

    public ExportOptions withSharedCache(boolean value) {
        return new ExportOptions(layout, positionIdsInput, names, logitsToKeepInput, precision, value);
    }

    public ExportOptions withPrecision(WeightPrecision newPrecision) {
        return new ExportOptions(layout, positionIdsInput, names, logitsToKeepInput, newPrecision, sharedCache);
    }
}
