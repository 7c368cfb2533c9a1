package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bundle.json}: the index of a built bundle, written last (its presence means the bundle is
 * complete). It lists every exported model with its kind, layout and path (relative to the
 * bundle), and carries the recipe, the seed, the data (with the malformed lines skipped), the
 * evaluation and the pipeline's wall time.
 */
final class Bundle {
    static final String FILE = "bundle.json";
    static final String FORMAT = "trimtab-bundle/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Bundle() {}

    static ObjectNode write(
            Recipe recipe, Path bundle, Corpus corpus, JsonNode tokenizer, JsonNode evaluation, double wallSeconds)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode source = root.putObject("recipe");
        source.put("name", recipe.name());
        source.put("file", recipe.source().toString());
        source.put("sha256", recipe.sha256());
        root.put("seed", recipe.seed());
        ObjectNode data = root.putObject("data");
        data.put("source", recipe.data().generated() ? "review grammar" : "files");
        data.put("train_examples", corpus.train().size());
        data.put("heldout_examples", corpus.heldout().size());
        data.put("sampling_prompts", corpus.samplingPrompts().size());
        data.put("eval_prompts", corpus.evalPrompts().size());
        data.put("skipped_lines", corpus.skippedLines());
        root.set("tokenizer", tokenizer);
        ArrayNode models = root.putArray("models");
        for (RunSection run : recipe.runs()) {
            if (run.export()) {
                models.add(entry(bundle, run.name()));
            }
            if (run.withPast() != null) {
                models.add(entry(bundle, run.withPast()));
            }
            for (String quantized : run.quantized().keySet()) {
                models.add(entry(bundle, quantized));
            }
        }
        root.set("evaluation", evaluation);
        root.putObject("pipeline").put("wall_time_s", wallSeconds);
        AtomicFiles.write(
                bundle.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        return root;
    }

    private static ObjectNode entry(Path bundle, String name) throws IOException {
        JsonNode manifest =
                JSON.readTree(Files.readAllBytes(bundle.resolve(name).resolve(ModelExport.MANIFEST)));
        ObjectNode entry = JSON.createObjectNode();
        entry.put("name", name);
        entry.put("path", name);
        for (String field : new String[] {"kind", "layout", "objective", "reward", "derived_from"}) {
            if (manifest.hasNonNull(field)) {
                entry.set(field, manifest.get(field));
            }
        }
        entry.set("heldout", manifest.path("metrics").path("heldout"));
        if (manifest.has("precision")) {
            entry.set("precision", manifest.get("precision"));
        }
        return entry;
    }
}
