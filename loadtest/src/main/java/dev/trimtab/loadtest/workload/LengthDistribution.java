package dev.trimtab.loadtest.workload;

import java.util.SplittableRandom;

/**
 * A distribution of positive integer lengths (prompt words, max_tokens), written on the command line as {@code N},
 * {@code uniform:MIN:MAX} or {@code normal:MEAN:SD}.
 */
public sealed interface LengthDistribution {

    /** The largest length any distribution may produce: far above any context window, small enough for an int. */
    int MAX_LENGTH = 1_000_000;

    /** Draws one length in [1, {@link #MAX_LENGTH}]. */
    int sample(SplittableRandom random);

    /** The spec this distribution parses from, e.g. {@code uniform:32:256}. */
    String spec();

    static LengthDistribution fixed(int length) {
        return new Fixed(length);
    }

    /**
     * Parses {@code N}, {@code uniform:MIN:MAX} or {@code normal:MEAN:SD}; {@code what} names the field in errors.
     */
    static LengthDistribution parse(String what, String spec) {
        String[] parts = spec.strip().split(":", -1);
        try {
            return switch (parts[0]) {
                case "uniform" -> new Uniform(parseInt(what, spec, parts, 1), parseInt(what, spec, parts, 2));
                case "normal" -> new Normal(parseDouble(what, spec, parts, 1), parseDouble(what, spec, parts, 2));
                default -> {
                    requireArity(what, spec, parts, 1);
                    yield new Fixed(Integer.parseInt(parts[0]));
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be " + SYNTAX + ", got '" + spec + "'", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    String SYNTAX = "N, uniform:MIN:MAX or normal:MEAN:SD (positive integers, e.g. 128 or uniform:32:256)";

    private static int parseInt(String what, String spec, String[] parts, int index) {
        requireArity(what, spec, parts, 3);
        return Integer.parseInt(parts[index].strip());
    }

    private static double parseDouble(String what, String spec, String[] parts, int index) {
        requireArity(what, spec, parts, 3);
        return Double.parseDouble(parts[index].strip());
    }

    private static void requireArity(String what, String spec, String[] parts, int arity) {
        if (parts.length != arity) {
            throw new NumberFormatException(what + " must be " + SYNTAX + ", got '" + spec + "'");
        }
    }

    /** Always {@code length}. */
    record Fixed(int length) implements LengthDistribution {
        public Fixed {
            requireLength("length", length);
        }

        @Override
        public int sample(SplittableRandom random) {
            return length;
        }

        @Override
        public String spec() {
            return Integer.toString(length);
        }
    }

    /** Uniform over the integers in [min, max]. */
    record Uniform(int min, int max) implements LengthDistribution {
        public Uniform {
            requireLength("min", min);
            requireLength("max", max);
            if (max < min) {
                throw new IllegalArgumentException("uniform max must be >= min, got min " + min + ", max " + max);
            }
        }

        @Override
        public int sample(SplittableRandom random) {
            return random.nextInt(min, max + 1);
        }

        @Override
        public String spec() {
            return "uniform:" + min + ":" + max;
        }
    }

    /** Normal with the given mean and standard deviation, rounded and clamped to [1, MAX_LENGTH]. */
    record Normal(double mean, double sd) implements LengthDistribution {
        public Normal {
            if (!(mean >= 1 && mean <= MAX_LENGTH)) {
                throw new IllegalArgumentException("normal mean must be in [1, " + MAX_LENGTH + "], got " + mean);
            }
            if (!(sd >= 0 && sd <= MAX_LENGTH)) {
                throw new IllegalArgumentException("normal sd must be in [0, " + MAX_LENGTH + "], got " + sd);
            }
        }

        @Override
        public int sample(SplittableRandom random) {
            double value = mean + sd * random.nextGaussian();
            return (int) Math.max(1, Math.min(MAX_LENGTH, Math.round(value)));
        }

        @Override
        public String spec() {
            return "normal:" + mean + ":" + sd;
        }
    }

    private static void requireLength(String field, int value) {
        if (value < 1 || value > MAX_LENGTH) {
            throw new IllegalArgumentException(field + " must be in [1, " + MAX_LENGTH + "], got " + value);
        }
    }
}
