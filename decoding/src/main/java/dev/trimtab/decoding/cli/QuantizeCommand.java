package dev.trimtab.decoding.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.PrecisionCheck;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.io.AtomicFiles;
import dev.trimtab.decoding.model.JsonFiles;
import dev.trimtab.decoding.onnx.DecoderExporter;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.ExportedDecoder;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes an existing float32 model directory (a trained bundle model, a {@code make-model} output)
 * in another precision, copies its other files, and checks the result against the original: the
 * check goes into the new directory's {@code manifest.json} under {@code precision}.
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description = "Write a float32 model directory in fp16, int8 or int4 and check it against the original.")
final class QuantizeCommand implements Callable<Integer> {
    static final String MANIFEST = "manifest.json";

    @Option(names = "--model", required = true, description = "The float32 model directory to read.")
    Path model;

    @Option(names = "--out", required = true, description = "Model directory to write.")
    Path out;

    @Mixin
    PrecisionOptions precision;

    @Option(
            names = "--check-text",
            description = "JSON lines with 'prompt' and 'completion' (e.g. held-out SFT data): the check runs on"
                    + " these texts and reports perplexities (default: seeded random token sequences).")
    Path checkText;

    @Option(
            names = "--check-sequences",
            defaultValue = "16",
            description = "Sequences the check runs (default ${DEFAULT-VALUE}).")
    int checkSequences;

    @Override
    public Integer call() throws Exception {
        if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out must differ from --model, got " + out);
        }
        ExportedDecoder source = ExportedDecoder.read(model);
        WeightPrecision target = precision.precision();
        Files.createDirectories(out);
        copyOtherFiles(model, out);
        DecoderExporter.export(
                out, source.spec(), source.weights(), source.options().withPrecision(target), source.eosTokenId());
        // The source's config.json (same architecture) keeps the fields the exporter does not write.
        AtomicFiles.write(out.resolve("config.json"), Files.readAllBytes(model.resolve("config.json")));
        ObjectNode section = JsonFiles.mapper().createObjectNode();
        section.put("format", target.format().label());
        if (target.format().quantized()) {
            section.put("block_size", target.blockSize());
            section.put("symmetric", target.symmetric());
            section.put("accuracy_level", target.accuracyLevel());
        }
        section.put("source", model.toAbsolutePath().normalize().toString());
        if (source.options().layout() != ExportOptions.Layout.SEQUENCE_CLASSIFICATION) {
            PrecisionCheck check = check();
            section.set("check", check.toJson());
            System.out.printf(
                    "wrote %s (%s): max |logit difference| %.4g over %d positions%s%s%n",
                    out,
                    target.describe(),
                    check.maxAbsLogitDifference(),
                    check.positions(),
                    Double.isNaN(check.greedyAgreement())
                            ? ""
                            : String.format(", greedy agreement %.4f", check.greedyAgreement()),
                    Double.isNaN(check.perplexity())
                            ? ""
                            : String.format(
                                    ", perplexity %.4f (fp32 %.4f)", check.perplexity(), check.referencePerplexity()));
        } else {
            System.out.printf(
                    "wrote %s (%s); sequence-classification graphs are not checked%n", out, target.describe());
        }
        writeManifest(section);
        return 0;
    }

    private PrecisionCheck check() throws Exception {
        try (DecoderModel reference = DecoderModel.load(model, SessionSettings.DEFAULT);
                DecoderModel candidate = DecoderModel.load(out, SessionSettings.DEFAULT)) {
            return PrecisionCheck.compare(reference, candidate, sequences(reference));
        }
    }

    /** The check's sequences: the texts of {@code --check-text}, else seeded random tokens. */
    private List<PrecisionCheck.Sequence> sequences(DecoderModel reference) throws IOException {
        List<PrecisionCheck.Sequence> sequences = new ArrayList<>();
        int length = Math.min(32, reference.contextLength());
        if (checkText == null) {
            SplittableRandom random = new SplittableRandom(1);
            for (int s = 0; s < checkSequences; s++) {
                sequences.add(new PrecisionCheck.Sequence(
                        random.longs(length, 0, reference.inputVocabSize()).toArray(), 1));
            }
            return sequences;
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(model);
                Stream<String> lines = Files.lines(checkText)) {
            int number = 0;
            for (String line : (Iterable<String>) lines::iterator) {
                number++;
                if (line.isBlank() || sequences.size() >= checkSequences) continue;
                JsonNode record = JsonFiles.mapper().readTree(line);
                if (!record.path("prompt").isTextual()) {
                    throw new IllegalArgumentException(checkText + ":" + number
                            + ": field 'prompt' must be a string, got " + record.get("prompt"));
                }
                String prompt = record.path("prompt").asText();
                long[] ids = tokenizer.encode(prompt + record.path("completion").asText(""));
                ids = Arrays.copyOf(ids, Math.min(ids.length, reference.contextLength()));
                // Without a completion the whole text is scored; with one, the completion's tokens.
                int first = record.has("completion") ? Math.max(1, tokenizer.encode(prompt).length) : 1;
                if (first < ids.length) {
                    sequences.add(new PrecisionCheck.Sequence(ids, first));
                }
            }
        }
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException(checkText + ": no line gave a text with a token to score");
        }
        return sequences;
    }

    /** The source's manifest (when it has one) with a {@code precision} section, written last. */
    private void writeManifest(ObjectNode section) throws IOException {
        Path sourceManifest = model.resolve(MANIFEST);
        ObjectNode manifest = Files.isRegularFile(sourceManifest)
                ? (ObjectNode) JsonFiles.mapper().readTree(sourceManifest.toFile())
                : JsonFiles.mapper().createObjectNode();
        manifest.set("precision", section);
        AtomicFiles.write(
                out.resolve(MANIFEST),
                JsonFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    }

    /** Copies the tokenizer, configs and the rest, but no graph and no manifest (written after the check). */
    private static void copyOtherFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file)
                        && !name.endsWith(".onnx")
                        && !name.endsWith(".onnx.data")
                        && !name.equals(MANIFEST)) {
                    AtomicFiles.write(to.resolve(name), Files.readAllBytes(file));
                }
            }
        }
    }
}
