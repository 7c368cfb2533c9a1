package dev.trimtab.decoding.onnx;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random-initialized weights for tests and benchmarks: normal(0, 0.02) matrices and biases as
 * GPT-2 is initialized, norm gains normal(1, 0.1), so that tests exercise every weight.
 */
public final class RandomDecoderWeights {
    private static final double STD = 0.02;

    private RandomDecoderWeights() {}

    public static DecoderWeights generate(DecoderSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        DecoderWeights.expectedShapes(spec)
                .forEach((name, shape) -> tensors.put(name, initialize(name, shape, random)));
        return new DecoderWeights(tensors);
    }

    private static FloatTensor initialize(String name, int[] shape, SplittableRandom random) {
        boolean isNormGain = name.endsWith("norm.weight");
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            double noise = gaussian(random) * STD;
            data[i] = (float) (isNormGain ? 1 + 5 * noise : noise);
        }
        return new FloatTensor(shape, data);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
