package dev.trimtab.training.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved training state: weights under {@code p/NAME}, AdamW moments under {@code m/NAME} and
 * {@code v/NAME}, and metadata {@code {"run", "step", "fingerprint"}}.
 *
 * @param step optimizer steps taken
 * @param weights the weights after that step
 * @param optimizerState the moments
 */
public record Checkpoint(int step, DecoderWeights weights, Map<String, FloatTensor> optimizerState) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMETER = "p/";

    /**
     * The checkpoint at {@code file}, or {@code null} when there is none.
     *
     * @throws IllegalStateException when it belongs to another run or other settings
     */
    public static Checkpoint load(Path file, String fingerprint, String run) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        TensorFile saved = TensorFile.read(file);
        JsonNode metadata = JSON.readTree(saved.metadata());
        if (!fingerprint.equals(metadata.path("fingerprint").asText())) {
            throw new IllegalStateException(
                    file + " was written by run \"" + metadata.path("run").asText()
                            + "\" with other settings or data; delete " + file.getParent()
                            + " to start that run afresh, or resume with the recipe that wrote it (" + run + ")");
        }
        Map<String, FloatTensor> weights = new LinkedHashMap<>();
        Map<String, FloatTensor> optimizer = new LinkedHashMap<>();
        saved.tensors().forEach((name, tensor) -> {
            if (name.startsWith(PARAMETER)) {
                weights.put(name.substring(PARAMETER.length()), tensor);
            } else {
                optimizer.put(name, tensor);
            }
        });
        return new Checkpoint(metadata.path("step").asInt(), new DecoderWeights(weights), optimizer);
    }

    /** The fingerprint recorded in a checkpoint or weights file. */
    public static String fingerprint(Path file) throws IOException {
        return JSON.readTree(TensorFile.read(file).metadata())
                .path("fingerprint")
                .asText();
    }

    /** Reads the weights of a finished run's {@code weights.bin}. */
    public static DecoderWeights readWeights(Path file) throws IOException {
        Map<String, FloatTensor> weights = new LinkedHashMap<>();
        TensorFile.read(file).tensors().forEach((name, tensor) -> {
            if (name.startsWith(PARAMETER)) {
                weights.put(name.substring(PARAMETER.length()), tensor);
            }
        });
        return new DecoderWeights(weights);
    }

    static Map<String, FloatTensor> prefixed(DecoderWeights weights) {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        weights.asMap().forEach((name, tensor) -> tensors.put(PARAMETER + name, tensor));
        return tensors;
    }
}
