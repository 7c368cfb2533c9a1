package dev.trimtab.decoding.strategy;

import java.util.SplittableRandom;

/** Picks one of a few scored candidates: the best, or a draw from the softmax of the scores. */
public final class Choice {
    private Choice() {}

    /** The index of the highest score, the first on ties. */
    public static int argmax(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The natural log of the probability with which {@link #draw} picks {@code index}: {@code
     * s_i / t − log Σ_j exp(s_j / t)}, or with {@code temperature} 0 (argmax) 0 for the argmax and
     * -Infinity for the others.
     */
    public static double logProbability(double[] scores, int index, double temperature) {
        int best = argmax(scores);
        if (temperature == 0) {
            return index == best ? 0 : Double.NEGATIVE_INFINITY;
        }
        double max = scores[best];
        double total = 0;
        for (double score : scores) {
            total += Math.exp((score - max) / temperature);
        }
        return (scores[index] - max) / temperature - Math.log(total);
    }

    /**
     * Draws index i with probability {@code exp(s_i / t) / Σ_j exp(s_j / t)}, computed against the
     * largest score so that nothing overflows; {@code temperature} 0 is {@link #argmax}.
     */
    public static int draw(double[] scores, double temperature, SplittableRandom random) {
        if (temperature == 0) {
            return argmax(scores);
        }
        double max = scores[argmax(scores)];
        double[] weights = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            weights[i] = Math.exp((scores[i] - max) / temperature);
            total += weights[i];
        }
        double target = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            target -= weights[i];
            if (target < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
