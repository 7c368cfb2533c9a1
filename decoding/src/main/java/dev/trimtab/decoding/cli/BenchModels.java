package dev.trimtab.decoding.cli;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.onnx.DecoderExporter;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.RandomDecoderWeights;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The random-initialized models {@code bench-strategies} runs: a base, an aligned policy and an ARM
 * of the base's shape, an ARM and a score-head reward model of the small shape, all in one precision.
 * Written once into a directory and reused when present (the weights depend only on shape and seed;
 * a directory keeps the precision it was first written in).
 */
final class BenchModels implements AutoCloseable {
    static final String BASE = "base";
    static final String ALIGNED = "aligned";
    static final String ARM = "arm";
    static final String SMALL_ARM = "arm-small";
    static final String REWARD = "rm";
    /** The reward model's decoder again, as controlled decoding's prefix scorer. */
    static final String PREFIX = "rm-prefix";

    private final LanguageModel base;
    private final DecoderModel aligned;
    private final DecoderModel arm;
    private final DecoderModel smallArm;
    private final DecoderModel reward;

    private BenchModels(
            LanguageModel base, DecoderModel aligned, DecoderModel arm, DecoderModel smallArm, DecoderModel reward) {
        this.base = base;
        this.aligned = aligned;
        this.arm = arm;
        this.smallArm = smallArm;
        this.reward = reward;
    }

    /** Writes (when absent) and loads the five models under {@code directory}. */
    static BenchModels prepare(
            Path directory,
            DecoderSpec baseSpec,
            DecoderSpec smallSpec,
            WeightPrecision precision,
            SessionSettings settings)
            throws IOException, OrtException {
        ExportOptions options = ExportOptions.DEFAULT.withPrecision(precision);
        write(directory.resolve(BASE), baseSpec, 1, options);
        write(directory.resolve(ALIGNED), baseSpec, 2, options);
        write(directory.resolve(ARM), baseSpec, 3, options);
        write(directory.resolve(SMALL_ARM), smallSpec, 4, options);
        write(directory.resolve(REWARD), smallSpec.withScoreHead(), 5, options);
        LanguageModel base = LanguageModel.load(directory.resolve(BASE), settings);
        return new BenchModels(
                base,
                DecoderModel.load(directory.resolve(ALIGNED), settings),
                DecoderModel.load(directory.resolve(ARM), settings),
                DecoderModel.load(directory.resolve(SMALL_ARM), settings),
                DecoderModel.load(directory.resolve(REWARD), settings));
    }

    private static void write(Path directory, DecoderSpec spec, long seed, ExportOptions options) throws IOException {
        if (Files.isRegularFile(directory.resolve("config.json"))) {
            return;
        }
        ByteLevelBpeTokenizerFile tokenizer = ByteLevelBpeTokenizerFile.demo();
        tokenizer.write(directory.resolve(ByteLevelBpeTokenizerFile.FILE_NAME));
        long eos = tokenizer.specialTokenId(ByteLevelBpeTokenizerFile.END_OF_TEXT);
        DecoderExporter.export(directory, spec, RandomDecoderWeights.generate(spec, seed), options, eos);
    }

    /** Parameters of {@code spec}, embeddings and head included. */
    static long parameters(DecoderSpec spec) {
        return DecoderWeights.expectedShapes(spec).values().stream()
                .mapToLong(shape -> {
                    long size = 1;
                    for (int dimension : shape) size *= dimension;
                    return size;
                })
                .sum();
    }

    AlignmentModels alignmentModels() {
        return AlignmentModels.of(BASE, base)
                .withDecoder(ModelKind.ALIGNED, ALIGNED, aligned, Optional.empty())
                .withDecoder(ModelKind.ARM, ARM, arm, Optional.empty())
                .withDecoder(ModelKind.ARM, SMALL_ARM, smallArm, Optional.empty())
                .withDecoder(ModelKind.SCORER, REWARD, reward, Optional.empty())
                .withDecoder(ModelKind.PREFIX_SCORER, PREFIX, reward, Optional.empty())
                .withRewardModel(REWARD, new PrefillRewardModel(reward));
    }

    int vocab() {
        return base.decoder().vocabSize();
    }

    @Override
    public void close() throws OrtException {
        try (base;
                aligned;
                arm;
                smallArm;
                reward) {
            // closes all five, even if one fails
        }
    }
}
