package dev.trimtab.training.pipeline;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.PrecisionCheck;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.io.AtomicFiles;
import dev.trimtab.decoding.onnx.DecoderExporter;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.ExportCheck;
import dev.trimtab.training.train.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one trained model into the bundle, in the Hugging Face layout: {@code model.onnx} and
 * {@code config.json} through the project's exporter, {@code tokenizer.json}, the run's {@code
 * training-metrics.jsonl} and {@code training.png}, and {@code manifest.json} (recipe, seed, data
 * hashes, architecture, metrics, export check). Every file is written atomically; the manifest is
 * written last.
 *
 * <p>Before the manifest is written, the export is checked: DJL and ONNX Runtime run the same
 * held-out sequences and must agree within {@value #TOLERANCE}.
 */
final class ModelExport {
    static final String MANIFEST = "manifest.json";
    /** Largest difference between DJL's and ONNX Runtime's outputs an export may show. */
    static final float TOLERANCE = 1e-3f;
    /** How many held-out sequences the export check runs. */
    static final int CHECK_SEQUENCES = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelExport() {}

    /** Exports and returns the manifest written. */
    static ObjectNode export(
            PipelineContext context,
            String name,
            DecoderSpec spec,
            DecoderWeights weights,
            ExportOptions.Layout layout,
            RunFiles files,
            ObjectNode description)
            throws IOException, OrtException {
        List<TokenSequence> checkSequences = checkSequences(context, spec);
        Path directory = Files.createDirectories(context.bundle().resolve(name));
        DecoderExporter.export(
                directory,
                spec,
                weights,
                ExportOptions.DEFAULT.withLayout(layout),
                context.tokens().eos());
        copy(context.tokenizerDirectory().resolve(ByteLevelBpeTokenizerFile.FILE_NAME), directory);
        copyAs(files.metrics(), directory.resolve("training-metrics.jsonl"));
        copyAs(files.plot(), directory.resolve("training.png"));
        boolean classifier = layout == ExportOptions.Layout.SEQUENCE_CLASSIFICATION;
        float difference = ExportCheck.maxDifference(
                context.manager(),
                directory,
                spec,
                weights,
                checkSequences,
                context.tokens().eos(),
                classifier);
        if (!(difference <= TOLERANCE)) {
            throw new IllegalStateException(directory + ": the exported graph differs from the trained model by "
                    + difference + " (tolerance " + TOLERANCE + "); the export is wrong, do not serve it");
        }
        ObjectNode manifest = description.deepCopy();
        manifest.put("name", name);
        manifest.put("layout", classifier ? "sequence_classification" : "decoder_with_past");
        manifest.set("architecture", architecture(spec, weights));
        ObjectNode check = manifest.putObject("export");
        check.put("opset", DecoderExporter.OPSET);
        check.put("parity_max_abs_diff", difference);
        check.put("parity_sequences", checkSequences.size());
        AtomicFiles.write(
                directory.resolve(MANIFEST),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        return manifest;
    }

    /**
     * Writes the trained weights again in {@code precision} as {@code name}, beside the float32
     * export {@code reference} (already written), and checks it against that export on the held-out
     * sequences: largest |logit difference|, greedy agreement and both perplexities over the
     * completions go into the manifest under {@code precision}.
     */
    static ObjectNode exportQuantized(
            PipelineContext context,
            String name,
            String reference,
            DecoderSpec spec,
            DecoderWeights weights,
            WeightPrecision precision,
            RunFiles files,
            ObjectNode description)
            throws IOException, OrtException {
        Path directory = Files.createDirectories(context.bundle().resolve(name));
        DecoderExporter.export(
                directory,
                spec,
                weights,
                ExportOptions.DEFAULT.withPrecision(precision),
                context.tokens().eos());
        copy(context.tokenizerDirectory().resolve(ByteLevelBpeTokenizerFile.FILE_NAME), directory);
        copyAs(files.metrics(), directory.resolve("training-metrics.jsonl"));
        copyAs(files.plot(), directory.resolve("training.png"));
        List<PrecisionCheck.Sequence> sequences = new ArrayList<>();
        for (TokenSequence sequence : context.tokens().sft(context.corpus().heldout(), spec.maxPositions())) {
            if (sequence.ids().length >= 2) {
                int first = Math.min(Math.max(1, sequence.promptLength()), sequence.ids().length - 1);
                sequences.add(new PrecisionCheck.Sequence(sequence.ids(), first));
            }
        }
        PrecisionCheck check;
        try (DecoderModel fp32 = DecoderModel.load(context.bundle().resolve(reference), SessionSettings.DEFAULT);
                DecoderModel reduced = DecoderModel.load(directory, SessionSettings.DEFAULT)) {
            check = PrecisionCheck.compare(fp32, reduced, sequences);
        }
        ObjectNode manifest = description.deepCopy();
        manifest.put("name", name);
        manifest.put("layout", "decoder_with_past");
        manifest.set("architecture", architecture(spec, weights));
        ObjectNode section = manifest.putObject("precision");
        section.put("format", precision.format().label());
        if (precision.format().quantized()) {
            section.put("block_size", precision.blockSize());
            section.put("symmetric", precision.symmetric());
            section.put("accuracy_level", precision.accuracyLevel());
        }
        section.put("reference", reference);
        section.set("check", check.toJson());
        AtomicFiles.write(
                directory.resolve(MANIFEST),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        return manifest;
    }

    /** The first held-out SFT sequences: real text, the same for every model of the bundle. */
    private static List<TokenSequence> checkSequences(PipelineContext context, DecoderSpec spec) {
        List<dev.trimtab.training.data.Records.Sft> heldout = context.corpus().heldout();
        return context.tokens().sft(heldout.subList(0, Math.min(CHECK_SEQUENCES, heldout.size())), spec.maxPositions());
    }

    private static ObjectNode architecture(DecoderSpec spec, DecoderWeights weights) {
        ObjectNode node = JSON.createObjectNode();
        node.put("family", spec.family().name().toLowerCase(java.util.Locale.ROOT));
        node.put("head", spec.head().name().toLowerCase(java.util.Locale.ROOT));
        node.put("layers", spec.layers());
        node.put("hidden", spec.hidden());
        node.put("heads", spec.heads());
        node.put("kv_heads", spec.kvHeads());
        node.put("intermediate", spec.intermediate());
        node.put("vocab", spec.vocab());
        node.put("context", spec.maxPositions());
        node.put(
                "parameters",
                weights.asMap().values().stream()
                        .mapToLong(t -> t.data().length)
                        .sum());
        return node;
    }

    private static void copy(Path file, Path directory) throws IOException {
        copyAs(file, directory.resolve(file.getFileName()));
    }

    private static void copyAs(Path file, Path target) throws IOException {
        if (Files.exists(file)) {
            AtomicFiles.write(target, Files.readAllBytes(file));
        }
    }
}
