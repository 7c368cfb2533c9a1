package dev.trimtab.training.model;

import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initial weights, drawn in Java so that a seed gives the same model on every machine and
 * engine: GPT-2's scheme (Radford et al. 2019, section 2.3): matrices and embeddings normal(0,
 * 0.02), the projections that write into the residual stream ({@code attn.o}, {@code mlp.down})
 * scaled by {@code 1/sqrt(2 * layers)}, biases 0, norm gains 1.
 */
public final class DecoderInit {
    private static final double STD = 0.02;

    private DecoderInit() {}

    /** Fresh weights for {@code spec}. */
    public static DecoderWeights random(DecoderSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double residualStd = STD / Math.sqrt(2.0 * Math.max(1, spec.layers()));
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        DecoderWeights.expectedShapes(spec).forEach((name, shape) -> {
            double std = name.endsWith("attn.o.weight") || name.endsWith("mlp.down.weight") ? residualStd : STD;
            tensors.put(name, initial(name, shape, std, random));
        });
        return new DecoderWeights(tensors);
    }

    /**
     * The body of a language model with a fresh score head: what reward models and prefix scorers
     * start from (InstructGPT initializes its reward model from the SFT model the same way).
     */
    public static DecoderWeights withScoreHead(DecoderWeights languageModel, DecoderSpec scoreSpec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        DecoderWeights.expectedShapes(scoreSpec)
                .forEach((name, shape) -> tensors.put(
                        name, name.startsWith("score.") ? initial(name, shape, STD, random) : languageModel.get(name)));
        return new DecoderWeights(tensors);
    }

    private static FloatTensor initial(String name, int[] shape, double std, SplittableRandom random) {
        if (name.endsWith("norm.weight")) {
            return FloatTensor.filled(1f, shape);
        }
        if (name.endsWith(".bias")) {
            return FloatTensor.zeros(shape);
        }
        int size = 1;
        for (int dim : shape) {
            size = Math.multiplyExact(size, dim);
        }
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) (gaussian(random) * std);
        }
        return new FloatTensor(shape, data);
    }

    /** Box-Muller: one standard normal draw. */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
