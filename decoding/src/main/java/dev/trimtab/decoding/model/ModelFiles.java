package dev.trimtab.decoding.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a model directory in the Hugging Face layout and the tensor names its graph uses.
 * The graph is, in order of preference: the file a {@code genai_config.json} names,
 * {@code model.onnx}, or the legacy merged {@code decoder_model_merged.onnx}.
 *
 * @param directory the model directory
 * @param graph the ONNX file to load
 * @param names tensor names (Optimum's unless {@code genai_config.json} renames them)
 */
public record ModelFiles(Path directory, Path graph, DecoderTensorNames names) {

    public static final String SINGLE_FILE = "model.onnx";
    public static final String MERGED_FILE = "decoder_model_merged.onnx";
    public static final String GENAI_CONFIG = "genai_config.json";

    /**
     * The graph's metadata key under which Trimtab's exporter declares the weights' number format
     * ({@code int4 (block 32, symmetric)}), which the engine reports when it loads the model.
     */
    public static final String WEIGHTS_METADATA = "trimtab.weights";

    /**
     * The graph's metadata key under which Trimtab's exporter declares that past and present keys
     * and values share one buffer per layer ({@link #SHARED_CACHE}): caches {@code [batch, kvHeads,
     * capacity, headDim]}, each row's tokens from position 0, the attention mask right-padded.
     */
    public static final String CACHE_METADATA = "trimtab.kv_cache";

    /** {@link #CACHE_METADATA}'s value for a shared past/present buffer. */
    public static final String SHARED_CACHE = "shared-buffer";

    /** Locates the graph of {@code directory}, failing with the files that were looked for. */
    public static ModelFiles locate(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("model directory " + directory + " does not exist");
        }
        Optional<JsonNode> genai = JsonFiles.readOptional(directory.resolve(GENAI_CONFIG));
        if (genai.isPresent()) {
            return fromGenAiConfig(directory, genai.get());
        }
        for (String name : new String[] {SINGLE_FILE, MERGED_FILE}) {
            if (Files.isRegularFile(directory.resolve(name))) {
                return new ModelFiles(directory, directory.resolve(name), DecoderTensorNames.OPTIMUM);
            }
        }
        throw new IllegalArgumentException("model directory " + directory + " holds neither " + SINGLE_FILE + " nor "
                + MERGED_FILE + " (nor a " + GENAI_CONFIG + " naming the graph)");
    }

    private static ModelFiles fromGenAiConfig(Path directory, JsonNode genai) {
        Path configFile = directory.resolve(GENAI_CONFIG);
        JsonNode decoder = genai.path("model").path("decoder");
        String filename = decoder.path("filename").asText(SINGLE_FILE);
        Path graph = directory.resolve(filename);
        if (!Files.isRegularFile(graph)) {
            throw new IllegalArgumentException(
                    configFile + ": model.decoder.filename names " + graph + ", which does not exist");
        }
        JsonNode inputs = decoder.path("inputs");
        JsonNode outputs = decoder.path("outputs");
        DecoderTensorNames defaults = DecoderTensorNames.OPTIMUM;
        DecoderTensorNames names = new DecoderTensorNames(
                inputs.path("input_ids").asText(defaults.inputIds()),
                inputs.path("attention_mask").asText(defaults.attentionMask()),
                inputs.path("position_ids").asText(defaults.positionIds()),
                inputs.path("past_key_names").asText(defaults.pastKeyPattern()),
                inputs.path("past_value_names").asText(defaults.pastValuePattern()),
                outputs.path("logits").asText(defaults.logits()),
                outputs.path("present_key_names").asText(defaults.presentKeyPattern()),
                outputs.path("present_value_names").asText(defaults.presentValuePattern()),
                defaults.useCacheBranch());
        return new ModelFiles(directory, graph, names);
    }

    public Path configFile() {
        return directory.resolve("config.json");
    }
}
