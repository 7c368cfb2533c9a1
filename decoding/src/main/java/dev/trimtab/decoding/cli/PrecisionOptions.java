package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.onnx.WeightPrecision;
import picocli.CommandLine.Option;

/** Options choosing the number format a model is written in, shared by {@code make-model} and {@code bench}. */
final class PrecisionOptions {
    @Option(
            names = "--precision",
            defaultValue = "fp32",
            converter = FormatConverter.class,
            description = "fp32, fp16, int8 or int4 (weight-only, MatMulNBits) (default ${DEFAULT-VALUE}).")
    WeightPrecision.Format format;

    @Option(
            names = "--block-size",
            defaultValue = "32",
            description = "int8/int4: weights per quantization block, a power of two >= 16 (default ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(
            names = "--asymmetric",
            description = "int8/int4: a zero point per block besides its scale (default: symmetric blocks).")
    boolean asymmetric;

    @Option(
            names = "--accuracy-level",
            defaultValue = "4",
            description = "int8/int4: MatMulNBits accuracy_level, 0 (activations in fp32) to 4 (int8 activations)"
                    + " (default ${DEFAULT-VALUE}).")
    int accuracyLevel;

    WeightPrecision precision() {
        return new WeightPrecision(format, blockSize, !asymmetric, accuracyLevel);
    }

    /** Reads {@code fp32}, {@code INT4}, ... case-insensitively, naming the choices when wrong. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<WeightPrecision.Format> {
        @Override
        public WeightPrecision.Format convert(String value) {
            for (WeightPrecision.Format format : WeightPrecision.Format.values()) {
                if (format.label().equalsIgnoreCase(value)) {
                    return format;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "--precision must be fp32, fp16, int8 or int4, got '" + value + "'");
        }
    }
}
