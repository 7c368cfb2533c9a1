package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.onnx.DecoderExporter;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.RandomDecoderWeights;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a random-initialized model directory with the demo byte-level BPE tokenizer. */
@Command(
        name = "make-model",
        mixinStandardHelpOptions = true,
        description =
                "Write a random-initialized decoder (ONNX, config.json, tokenizer.json) for tests and benchmarks.")
final class MakeModelCommand implements Callable<Integer> {
    @Mixin
    ModelShapeOptions shape;

    @Mixin
    PrecisionOptions precision;

    @Option(names = "--out", required = true, description = "Model directory to write.")
    Path out;

    @Option(
            names = "--layout",
            defaultValue = "SINGLE_FILE",
            description = "SINGLE_FILE (model.onnx) or MERGED (decoder_model_merged.onnx); default ${DEFAULT-VALUE}.")
    ExportOptions.Layout layout;

    @Option(
            names = "--concatenating-cache",
            description = "Write attention that concatenates past and new keys (Optimum's graph) instead of"
                    + " GroupQueryAttention over a shared past/present buffer: for ONNX Runtime's CUDA provider"
                    + " with fp32 models, whose GroupQueryAttention is float16/bfloat16 only.")
    boolean concatenatingCache;

    @Override
    public Integer call() throws Exception {
        DecoderSpec spec = write(out, shape, layout, precision.precision(), !concatenatingCache);
        System.out.printf(
                "wrote %s: %s, %s %d layers, width %d, %d heads (%d kv), vocabulary %d, context %d%n",
                out,
                precision.precision().describe(),
                spec.family(),
                spec.layers(),
                spec.hidden(),
                spec.heads(),
                spec.kvHeads(),
                spec.vocab(),
                spec.maxPositions());
        return 0;
    }

    /** A random model of {@code shape} in a temporary directory deleted when the JVM exits: what the benches run. */
    static Path temporary(ModelShapeOptions shape, String prefix) throws Exception {
        return temporary(shape, WeightPrecision.FP32, prefix);
    }

    /** As {@link #temporary(ModelShapeOptions, String)}, in {@code precision}. */
    static Path temporary(ModelShapeOptions shape, WeightPrecision precision, String prefix) throws Exception {
        Path directory = Files.createTempDirectory(prefix);
        write(directory, shape, ExportOptions.Layout.SINGLE_FILE, precision, true);
        directory.toFile().deleteOnExit();
        return directory;
    }

    static DecoderSpec write(
            Path directory,
            ModelShapeOptions shape,
            ExportOptions.Layout layout,
            WeightPrecision precision,
            boolean sharedCache)
            throws Exception {
        ByteLevelBpeTokenizerFile tokenizer = ByteLevelBpeTokenizerFile.demo();
        DecoderSpec spec = shape.spec(tokenizer.vocabSize());
        tokenizer.write(directory.resolve(ByteLevelBpeTokenizerFile.FILE_NAME));
        long eos = tokenizer.specialTokenId(ByteLevelBpeTokenizerFile.END_OF_TEXT);
        DecoderExporter.export(
                directory,
                spec,
                RandomDecoderWeights.generate(spec, shape.seed),
                ExportOptions.DEFAULT
                        .withLayout(layout)
                        .withPrecision(precision)
                        .withSharedCache(sharedCache),
                eos);
        return spec;
    }
}
