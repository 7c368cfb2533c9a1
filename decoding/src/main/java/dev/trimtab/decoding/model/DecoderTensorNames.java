package dev.trimtab.decoding.model;

import java.util.Objects;

/**
 * The tensor names of a decoder-with-past graph. The defaults are Optimum's
 * "text-generation-with-past" names; a {@code genai_config.json} beside the model may rename them.
 *
 * @param inputIds input token ids [batch, seq] int64
 * @param attentionMask mask over past and new positions [batch, past + seq] int64
 * @param positionIds positions of the new tokens [batch, seq] int64
 * @param pastKeyPattern {@link String#format} pattern with one {@code %d} for the layer, e.g.
 *     {@code past_key_values.%d.key}
 * @param pastValuePattern likewise for values
 * @param logits output logits [batch, seq, vocab]
 * @param presentKeyPattern pattern of the updated key caches, e.g. {@code present.%d.key}
 * @param presentValuePattern likewise for values
 * @param useCacheBranch the boolean input of the legacy merged layout
 */
public record DecoderTensorNames(
        String inputIds,
        String attentionMask,
        String positionIds,
        String pastKeyPattern,
        String pastValuePattern,
        String logits,
        String presentKeyPattern,
        String presentValuePattern,
        String useCacheBranch) {

    /** Optimum's names, which Hugging Face exports use. */
    /**
     * An optional scalar input of how many last positions get logits (0: all), as transformers'
     * {@code num_logits_to_keep}: a graph that takes it skips the language-model head on the prompt
     * positions whose logits nobody reads. The exporter writes it; Optimum's exports do not have it.
     */
    public static final String LOGITS_TO_KEEP = "num_logits_to_keep";

    public static final DecoderTensorNames OPTIMUM = new DecoderTensorNames(
            "input_ids",
            "attention_mask",
            "position_ids",
            "past_key_values.%d.key",
            "past_key_values.%d.value",
            "logits",
            "present.%d.key",
            "present.%d.value",
            "use_cache_branch");

    public DecoderTensorNames {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(attentionMask, "attentionMask");
        Objects.requireNonNull(positionIds, "positionIds");
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(useCacheBranch, "useCacheBranch");
        requireLayerPattern("pastKeyPattern", pastKeyPattern);
        requireLayerPattern("pastValuePattern", pastValuePattern);
        requireLayerPattern("presentKeyPattern", presentKeyPattern);
        requireLayerPattern("presentValuePattern", presentValuePattern);
    }

    private static void requireLayerPattern(String field, String pattern) {
        if (pattern == null || !pattern.contains("%d")) {
            throw new IllegalArgumentException(field + " must contain %d for the layer index, got " + pattern);
        }
    }

    public String pastKey(int layer) {
        return pastKeyPattern.formatted(layer);
    }

    public String pastValue(int layer) {
        return pastValuePattern.formatted(layer);
    }

    public String presentKey(int layer) {
        return presentKeyPattern.formatted(layer);
    }

    public String presentValue(int layer) {
        return presentValuePattern.formatted(layer);
    }
}
