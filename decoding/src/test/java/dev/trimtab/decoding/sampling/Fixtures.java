package dev.trimtab.decoding.sampling;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Seeded logits and double-precision reference computations, independent of the code under test. */
final class Fixtures {

    private Fixtures() {}

    /** Gaussian logits with standard deviation {@code scale}, as a language model head gives. */
    static float[] gaussianLogits(long seed, int vocabulary, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            logits[i] = (float) (scale * gaussian(random));
        }
        return logits;
    }

    /** Gaussian logits rounded to multiples of {@code step}, so that many tie. */
    static float[] quantizedLogits(long seed, int vocabulary, double scale, double step) {
        float[] logits = gaussianLogits(seed, vocabulary, scale);
        for (int i = 0; i < vocabulary; i++) {
            logits[i] = (float) (Math.round(logits[i] / step) * step);
        }
        return logits;
    }

    /** Box–Muller, since SplittableRandom has no nextGaussian on Java 21. */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Softmax in double by the textbook formula, masked entries 0. */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Token ids sorted by a full sort: higher logit first, lower id first among equal logits. */
    static int[] ranking(float[] logits) {
        return IntStream.range(0, logits.length)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** Ids whose logit is above -Infinity, ascending. */
    static int[] kept(float[] logits) {
        return IntStream.range(0, logits.length)
                .filter(i -> logits[i] > Float.NEGATIVE_INFINITY)
                .toArray();
    }

    static int[] sorted(int[] ids) {
        int[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }
}
