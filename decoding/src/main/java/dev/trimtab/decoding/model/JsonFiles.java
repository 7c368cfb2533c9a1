package dev.trimtab.decoding.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the small JSON files of a model directory with errors that name the file. */
public final class JsonFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {}

    /** Reads {@code file}, failing with {@code whyNeeded} when it is missing. */
    public static JsonNode readRequired(Path file, String whyNeeded) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found: " + whyNeeded);
        }
        return parse(file);
    }

    /** Reads {@code file} when it exists. */
    public static Optional<JsonNode> readOptional(Path file) {
        return Files.isRegularFile(file) ? Optional.of(parse(file)) : Optional.empty();
    }

    private static JsonNode parse(Path file) {
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + " must hold a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
