package dev.trimtab.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;

/**
 * The forward pass of a {@link DecoderSpec} in DJL, op for op the math of the ONNX graph that
 * {@code DecoderExporter} writes, so that a trained model exports with identical outputs:
 *
 * <ul>
 *   <li>positions {@code max(cumsum(mask) - 1, 0)}: padding on either side is skipped;
 *   <li>attention scores {@code (q / sqrt(d)) k^T} plus an additive mask of {@code -1e9} where a key
 *       is padding or in the future, softmax over keys (Vaswani et al. 2017, eq. 1), grouped-query
 *       heads sharing their key/value head;
 *   <li>GPT-2: learned positions, LayerNorm, exact GELU {@code x/2 (1 + erf(x / sqrt 2))}, tied head;
 *   <li>Llama: RMSNorm {@code x / sqrt(mean(x^2) + eps) * g}, rotary positions in the rotate-half form
 *       (RoFormer, eq. 34), SwiGLU {@code down(silu(gate x) * up x)}.
 * </ul>
 *
 * <p>Every result is created from the activation (never from a parameter) so that temporaries land
 * in the caller's per-step manager.
 */
public final class DjlDecoder {
    private static final float MASKED = -1e9f;

    private final DecoderSpec spec;
    private final DecoderParameters parameters;
    private final boolean gpt2;
    private final float[] rotaryCos;
    private final float[] rotarySin;

    public DjlDecoder(DecoderParameters parameters) {
        this.spec = parameters.spec();
        this.parameters = parameters;
        this.gpt2 = spec.family() == DecoderSpec.Family.GPT2;
        this.rotaryCos = gpt2 ? null : rotaryTable(spec, true);
        this.rotarySin = gpt2 ? null : rotaryTable(spec, false);
    }

    public DecoderSpec spec() {
        return spec;
    }

    public DecoderParameters parameters() {
        return parameters;
    }

    /**
     * Hidden states after the final norm, {@code [batch, seq, hidden]}.
     *
     * @param ids token ids {@code [batch, seq]}, int64
     * @param mask 1 for real tokens, 0 for padding, {@code [batch, seq]}, int64
     */
    public NDArray hidden(NDManager step, NDArray ids, NDArray mask) {
        NDArray positions = mask.cumSum(1).sub(1).maximum(0);
        NDArray bias = attentionBias(step, mask);
        NDArray x = embedding(ids, parameters.get("embed.weight"));
        if (gpt2) {
            x = x.add(embedding(positions, parameters.get("pos_embed.weight")));
        }
        Rotary rotary = gpt2 ? null : rotary(step, positions);
        for (int i = 0; i < spec.layers(); i++) {
            x = layer(i, x, bias, rotary);
        }
        return norm("final_norm", x);
    }

    /** Next-token logits {@code [batch, seq, vocab]} of hidden states. */
    public NDArray logits(NDArray hidden) {
        String head = spec.tiedHead() ? "embed.weight" : "lm_head.weight";
        return linear(hidden, parameters.get(head), null);
    }

    /** Scores {@code [batch, seq]} of hidden states (score head). */
    public NDArray scores(NDArray hidden) {
        return linear(hidden, parameters.get("score.weight"), parameters.get("score.bias"))
                .squeeze(2);
    }

    /** {@code [batch, 1, 1, seq, seq]}: 0 where a query may attend a key, -1e9 elsewhere. */
    private NDArray attentionBias(NDManager step, NDArray mask) {
        int seq = Math.toIntExact(mask.getShape().get(1));
        boolean[] causal = new boolean[seq * seq];
        for (int q = 0; q < seq; q++) {
            for (int k = 0; k <= q; k++) {
                causal[q * seq + k] = true;
            }
        }
        NDArray allowed = step.create(causal, new Shape(1, 1, 1, seq, seq))
                .logicalAnd(mask.toType(DataType.BOOLEAN, false).reshape(-1, 1, 1, 1, seq));
        return allowed.toType(DataType.FLOAT32, false).sub(1).mul(-MASKED);
    }

    private NDArray layer(int i, NDArray x, NDArray bias, Rotary rotary) {
        NDArray attended = attention(i, norm(DecoderWeights.layer(i, "attn_norm"), x), bias, rotary);
        NDArray residual = x.add(attended);
        return residual.add(mlp(i, norm(DecoderWeights.layer(i, "mlp_norm"), residual)));
    }

    private NDArray attention(int i, NDArray x, NDArray bias, Rotary rotary) {
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(1);
        int heads = spec.heads();
        int kvHeads = spec.kvHeads();
        int hd = spec.headDim();
        NDArray q = project(i, "attn.q", x).reshape(batch, seq, heads, hd);
        NDArray k = project(i, "attn.k", x).reshape(batch, seq, kvHeads, hd);
        NDArray v = project(i, "attn.v", x).reshape(batch, seq, kvHeads, hd);
        if (rotary != null) {
            q = rotary.apply(q);
            k = rotary.apply(k);
        }
        NDArray q5 = q.reshape(batch, seq, kvHeads, heads / kvHeads, hd).transpose(0, 2, 3, 1, 4);
        NDArray k5 = k.transpose(0, 2, 3, 1).expandDims(2);
        NDArray v5 = v.transpose(0, 2, 1, 3).expandDims(2);
        NDArray scores = q5.mul((float) (1 / Math.sqrt(hd))).matMul(k5).add(bias);
        NDArray context = scores.softmax(-1).matMul(v5).transpose(0, 3, 1, 2, 4);
        return project(i, "attn.o", context.reshape(batch, seq, (long) heads * hd));
    }

    private NDArray mlp(int i, NDArray x) {
        NDArray up = project(i, "mlp.up", x);
        NDArray hidden;
        if (gpt2) {
            hidden = Activation.gelu(up);
        } else {
            NDArray gate = project(i, "mlp.gate", x);
            hidden = gate.mul(Activation.sigmoid(gate)).mul(up);
        }
        return project(i, "mlp.down", hidden);
    }

    private NDArray project(int layer, String name, NDArray x) {
        String prefix = DecoderWeights.layer(layer, name);
        String bias = prefix + ".bias";
        return linear(x, parameters.get(prefix + ".weight"), parameters.has(bias) ? parameters.get(bias) : null);
    }

    private NDArray norm(String name, NDArray x) {
        NDArray gain = parameters.get(name + ".weight");
        if (gpt2) {
            Shape last = new Shape(spec.hidden());
            return LayerNorm.layerNorm(x, last, gain, parameters.get(name + ".bias"), spec.normEpsilon())
                    .singletonOrThrow();
        }
        NDArray rms =
                x.mul(x).mean(new int[] {-1}, true).add(spec.normEpsilon()).sqrt();
        return x.div(rms).mul(gain);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    private static NDArray embedding(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal()
                .embedding(ids, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    private Rotary rotary(NDManager step, NDArray positions) {
        Shape table = new Shape(spec.maxPositions(), spec.headDim());
        NDArray cos = embedding(positions, step.create(rotaryCos, table)).expandDims(2);
        NDArray sin = embedding(positions, step.create(rotarySin, table)).expandDims(2);
        return new Rotary(cos, sin, spec.headDim() / 2);
    }

    /** The graph's rotary table: angle {@code p * theta^(-2 (j mod d/2) / d)}, computed in double. */
    private static float[] rotaryTable(DecoderSpec spec, boolean cos) {
        int hd = spec.headDim();
        float[] table = new float[spec.maxPositions() * hd];
        for (int p = 0; p < spec.maxPositions(); p++) {
            for (int j = 0; j < hd; j++) {
                double angle = p * Math.pow(spec.ropeTheta(), -2.0 * (j % (hd / 2)) / hd);
                table[p * hd + j] = (float) (cos ? Math.cos(angle) : Math.sin(angle));
            }
        }
        return table;
    }

    /** Rotary tables at this batch's positions, {@code [batch, seq, 1, headDim]}. */
    private record Rotary(NDArray cos, NDArray sin, int half) {
        /** {@code x cos + rotate_half(x) sin}, {@code rotate_half(x) = concat(-x2, x1)}. */
        NDArray apply(NDArray x) {
            NDArray first = x.get(":, :, :, :" + half);
            NDArray second = x.get(":, :, :, " + half + ":");
            NDArray rotated = second.neg().concat(first, 3);
            return x.mul(cos).add(rotated.mul(sin));
        }
    }
}
