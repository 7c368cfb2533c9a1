package dev.trimtab.loadtest;

import java.util.SplittableRandom;

/**
 * The arrival process of an open-loop load: how the gaps between scheduled send times are drawn for a mean rate.
 * Written on the command line as {@code poisson}, {@code constant} or {@code gamma:B}.
 */
public sealed interface Arrivals {

    /** The gap in nanoseconds until the next arrival at a mean of {@code rate} requests per second. */
    long nextGapNanos(double rate, SplittableRandom random);

    /** The command-line spelling, e.g. {@code gamma:0.5}. */
    String spec();

    /** Parses {@code poisson}, {@code constant} or {@code gamma:B}. */
    static Arrivals parse(String spec) {
        String text = spec.strip();
        if (text.equals("poisson")) {
            return new Poisson();
        }
        if (text.equals("constant")) {
            return new Constant();
        }
        if (text.startsWith("gamma:")) {
            try {
                return new Gamma(Double.parseDouble(text.substring("gamma:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gamma burstiness must be a number > 0, got '" + spec + "'", e);
            }
        }
        throw new IllegalArgumentException(
                "arrivals must be poisson, constant or gamma:B (B > 0 the burstiness), got '" + spec + "'");
    }

    /** Exponential gaps: a Poisson process, the memoryless arrivals of many independent users. */
    record Poisson() implements Arrivals {
        @Override
        public long nextGapNanos(double rate, SplittableRandom random) {
            return toNanos(-Math.log(1.0 - random.nextDouble()) / rate);
        }

        @Override
        public String spec() {
            return "poisson";
        }
    }

    /** Equal gaps of 1/rate: no randomness at all, for reproducible queueing. */
    record Constant() implements Arrivals {
        @Override
        public long nextGapNanos(double rate, SplittableRandom random) {
            return toNanos(1.0 / rate);
        }

        @Override
        public String spec() {
            return "constant";
        }
    }

    /**
     * Gamma-distributed gaps with shape {@code burstiness} and scale {@code 1 / (rate * burstiness)}, as vLLM's
     * {@code benchmark_serving --burstiness}: the mean gap stays 1/rate while the coefficient of variation is
     * {@code 1 / sqrt(burstiness)}. Burstiness 1 is Poisson; below 1 burstier, above 1 more even.
     */
    record Gamma(double burstiness) implements Arrivals {
        public Gamma {
            if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
                throw new IllegalArgumentException("gamma burstiness must be a finite number > 0, got " + burstiness);
            }
        }

        @Override
        public long nextGapNanos(double rate, SplittableRandom random) {
            return toNanos(sampleGamma(burstiness, random) / (rate * burstiness));
        }

        @Override
        public String spec() {
            return "gamma:" + burstiness;
        }

        /**
         * A unit-scale Gamma(shape) draw by Marsaglia and Tsang, "A simple method for generating gamma variables"
         * (2000): for shape >= 1 accept {@code d v} with {@code d = shape - 1/3}, {@code v = (1 + c x)^3},
         * {@code c = 1/sqrt(9 d)}, x standard normal, when {@code ln u < x^2/2 + d - d v + d ln v}; for shape < 1
         * use {@code Gamma(shape + 1) * u^(1/shape)}.
         */
        static double sampleGamma(double shape, SplittableRandom random) {
            if (shape < 1) {
                return sampleGamma(shape + 1, random) * Math.pow(1.0 - random.nextDouble(), 1.0 / shape);
            }
            double d = shape - 1.0 / 3.0;
            double c = 1.0 / Math.sqrt(9.0 * d);
            while (true) {
                double x = random.nextGaussian();
                double v = Math.pow(1 + c * x, 3);
                if (v > 0 && Math.log(1.0 - random.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                    return d * v;
                }
            }
        }
    }

    private static long toNanos(double seconds) {
        return Math.round(seconds * 1e9);
    }
}
