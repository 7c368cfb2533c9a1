package dev.trimtab.decoding.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a decoder that {@link DecoderExporter} writes.
 *
 * <ul>
 *   <li>{@link Family#GPT2}: learned positions, LayerNorm, GELU (erf form), tied head, biases.
 *   <li>{@link Family#LLAMA}: RMSNorm, rotary positions (rotate-half form), SwiGLU, grouped-query
 *       attention, no biases (optional q/k/v biases as in Qwen2), head tied or not.
 * </ul>
 *
 * @param family the block layout
 * @param layers decoder layers (0 gives embedding, final norm and head only)
 * @param hidden model width
 * @param heads query heads
 * @param kvHeads key/value heads, dividing {@code heads}
 * @param intermediate MLP width
 * @param vocab vocabulary size
 * @param maxPositions context length
 * @param normEpsilon epsilon of LayerNorm / RMSNorm
 * @param ropeTheta rotary base (LLAMA only)
 * @param tiedHead whether the language-model head reuses the embedding matrix
 * @param head {@link Head#LANGUAGE_MODEL}: logits over the vocabulary; {@link Head#SCORE}: one
 *     scalar per position (reward models, prefix scorers), output {@code logits [batch, seq, 1]}
 */
public record DecoderSpec(
        Family family,
        int layers,
        int hidden,
        int heads,
        int kvHeads,
        int intermediate,
        int vocab,
        int maxPositions,
        float normEpsilon,
        float ropeTheta,
        boolean tiedHead,
        Head head) {

    /** What the last layer projects to. */
    public enum Head {
        /** Next-token logits {@code [batch, seq, vocab]}. */
        LANGUAGE_MODEL,
        /** One score per position {@code [batch, seq, 1]}: {@code score.weight [hidden, 1]} and {@code score.bias [1]}. */
        SCORE
    }

    /** Block layouts the exporter writes. */
    public enum Family {
        GPT2,
        LLAMA
    }

    public DecoderSpec {
        List<String> errors = new ArrayList<>();
        if (family == null) errors.add("family must be GPT2 or LLAMA");
        if (layers < 0 || layers > 256) errors.add("layers must be in [0, 256], got " + layers);
        if (hidden < 1) errors.add("hidden must be >= 1, got " + hidden);
        if (heads < 1 || hidden % Math.max(heads, 1) != 0)
            errors.add("heads must divide hidden (" + hidden + "), got " + heads);
        if (kvHeads < 1 || heads % Math.max(kvHeads, 1) != 0)
            errors.add("kvHeads must divide heads (" + heads + "), got " + kvHeads);
        if (intermediate < 1) errors.add("intermediate must be >= 1, got " + intermediate);
        if (vocab < 1) errors.add("vocab must be >= 1, got " + vocab);
        if (maxPositions < 1) errors.add("maxPositions must be >= 1, got " + maxPositions);
        if (!(normEpsilon > 0) || !Float.isFinite(normEpsilon))
            errors.add("normEpsilon must be > 0, got " + normEpsilon);
        if (!(ropeTheta > 0) || !Float.isFinite(ropeTheta)) errors.add("ropeTheta must be > 0, got " + ropeTheta);
        if (family == Family.LLAMA && heads > 0 && (hidden / heads) % 2 != 0) {
            errors.add("rotary positions need an even head size, got " + hidden / heads);
        }
        if (head == null) errors.add("head must be LANGUAGE_MODEL or SCORE");
        if (family == Family.GPT2 && (kvHeads != heads || !tiedHead)) {
            errors.add("GPT2 has kvHeads == heads and a tied head");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid decoder spec: " + String.join("; ", errors));
        }
    }

    /** A GPT-2 shaped decoder (MLP 4x wide). */
    public static DecoderSpec gpt2(int layers, int hidden, int heads, int vocab, int maxPositions) {
        return new DecoderSpec(
                Family.GPT2,
                layers,
                hidden,
                heads,
                heads,
                4 * hidden,
                vocab,
                maxPositions,
                1e-5f,
                10000f,
                true,
                Head.LANGUAGE_MODEL);
    }

    /** A Llama shaped decoder with grouped-query attention and an untied head. */
    public static DecoderSpec llama(
            int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab, int maxPositions) {
        return new DecoderSpec(
                Family.LLAMA,
                layers,
                hidden,
                heads,
                kvHeads,
                intermediate,
                vocab,
                maxPositions,
                1e-6f,
                10000f,
                false,
                Head.LANGUAGE_MODEL);
    }

    /** The same body with a scalar score head instead of the language-model head. */
    public DecoderSpec withScoreHead() {
        return new DecoderSpec(
                family,
                layers,
                hidden,
                heads,
                kvHeads,
                intermediate,
                vocab,
                maxPositions,
                normEpsilon,
                ropeTheta,
                tiedHead,
                Head.SCORE);
    }

    /** Width of the output: the vocabulary, or 1 for a score head. */
    public int outputWidth() {
        return head == Head.SCORE ? 1 : vocab;
    }

    public int headDim() {
        return hidden / heads;
    }
}
