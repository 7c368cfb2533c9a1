package dev.trimtab.decoding.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named weights of a decoder. Linear weights are stored {@code [in, out]} (so that
 * {@code y = x W + b}); the names are the exporter's own and do not depend on the family:
 *
 * <pre>
 * embed.weight [vocab, hidden]            pos_embed.weight [maxPositions, hidden] (GPT2)
 * layers.{i}.attn_norm.weight / .bias     layers.{i}.mlp_norm.weight / .bias    (bias: GPT2)
 * layers.{i}.attn.{q,k,v,o}.weight / .bias                                      (bias optional)
 * layers.{i}.mlp.{up,down}.weight / .bias, layers.{i}.mlp.gate.weight            (gate: LLAMA)
 * final_norm.weight / .bias               lm_head.weight [hidden, vocab]         (untied head)
 * score.weight [hidden, 1], score.bias [1]                                       (score head)
 * </pre>
 */
public final class DecoderWeights {
    private final Map<String, FloatTensor> tensors;

    public DecoderWeights(Map<String, FloatTensor> tensors) {
        this.tensors = new LinkedHashMap<>(tensors);
    }

    public static String layer(int index, String name) {
        return "layers." + index + "." + name;
    }

    public FloatTensor get(String name) {
        FloatTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("missing weight " + name);
        }
        return tensor;
    }

    public Optional<FloatTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public Map<String, FloatTensor> asMap() {
        return Map.copyOf(tensors);
    }

    /** Checks that every weight {@code spec} needs is present with the right shape; reports all errors at once. */
    public void validate(DecoderSpec spec) {
        List<String> errors = new ArrayList<>();
        expectedShapes(spec).forEach((name, shape) -> {
            FloatTensor tensor = tensors.get(name);
            if (tensor == null) {
                errors.add("missing " + name + " " + Arrays.toString(shape));
            } else if (!tensor.hasShape(shape)) {
                errors.add(name + " must have shape " + Arrays.toString(shape) + ", got "
                        + Arrays.toString(tensor.shape()));
            }
        });
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("decoder weights do not match the spec: " + String.join("; ", errors));
        }
    }

    /** The required weights of {@code spec} and their shapes (optional biases of LLAMA excluded). */
    public static Map<String, int[]> expectedShapes(DecoderSpec spec) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        boolean gpt2 = spec.family() == DecoderSpec.Family.GPT2;
        int h = spec.hidden();
        int q = spec.heads() * spec.headDim();
        int kv = spec.kvHeads() * spec.headDim();
        shapes.put("embed.weight", new int[] {spec.vocab(), h});
        if (gpt2) shapes.put("pos_embed.weight", new int[] {spec.maxPositions(), h});
        for (int i = 0; i < spec.layers(); i++) {
            norm(shapes, layer(i, "attn_norm"), h, gpt2);
            linear(shapes, layer(i, "attn.q"), h, q, gpt2);
            linear(shapes, layer(i, "attn.k"), h, kv, gpt2);
            linear(shapes, layer(i, "attn.v"), h, kv, gpt2);
            linear(shapes, layer(i, "attn.o"), q, h, gpt2);
            norm(shapes, layer(i, "mlp_norm"), h, gpt2);
            if (!gpt2) linear(shapes, layer(i, "mlp.gate"), h, spec.intermediate(), false);
            linear(shapes, layer(i, "mlp.up"), h, spec.intermediate(), gpt2);
            linear(shapes, layer(i, "mlp.down"), spec.intermediate(), h, gpt2);
        }
        norm(shapes, "final_norm", h, gpt2);
        if (spec.head() == DecoderSpec.Head.SCORE) {
            linear(shapes, "score", h, 1, true);
        } else if (!spec.tiedHead()) {
            shapes.put("lm_head.weight", new int[] {h, spec.vocab()});
        }
        return shapes;
    }

    private static void norm(Map<String, int[]> shapes, String name, int width, boolean withBias) {
        shapes.put(name + ".weight", new int[] {width});
        if (withBias) shapes.put(name + ".bias", new int[] {width});
    }

    private static void linear(Map<String, int[]> shapes, String name, int in, int out, boolean withBias) {
        shapes.put(name + ".weight", new int[] {in, out});
        if (withBias) shapes.put(name + ".bias", new int[] {out});
    }
}
