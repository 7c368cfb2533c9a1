package dev.trimtab.loadtest.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Prompts read from a JSONL file, one {@code {"prompt": "...", "max_tokens": 64}} object per line ({@code max_tokens}
 * optional, blank lines skipped), used in file order and cycled: request {@code i} gets line {@code i mod size}.
 */
public record JsonlPrompts(Path file, List<Prompt> prompts) implements PromptSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonlPrompts {
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompts; write one {\"prompt\": \"...\"} per line");
        }
    }

    /**
     * Reads {@code file}; a malformed line fails with the file, the line number and the field.
     *
     * @throws IllegalArgumentException if the file cannot be read or a line is malformed
     */
    public static JsonlPrompts load(Path file) {
        List<Prompt> prompts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            for (int number = 1; (line = reader.readLine()) != null; number++) {
                if (!line.isBlank()) {
                    prompts.add(parseLine(file, number, line));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read prompts file " + file + ": " + e, e);
        }
        return new JsonlPrompts(file, prompts);
    }

    static Prompt parseLine(Path file, int number, String line) {
        String where = file + " line " + number;
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    where + ": not valid JSON (" + e.getOriginalMessage() + "); expected {\"prompt\": \"...\"}", e);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object {\"prompt\": \"...\"}, got " + node);
        }
        JsonNode prompt = node.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isEmpty()) {
            throw new IllegalArgumentException(where + ": field \"prompt\" must be a non-empty string, got "
                    + (prompt == null ? "nothing" : prompt));
        }
        return new Prompt(prompt.asText(), maxTokens(where, node.get("max_tokens")));
    }

    private static OptionalInt maxTokens(String where, JsonNode value) {
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > LengthDistribution.MAX_LENGTH) {
            throw new IllegalArgumentException(where + ": field \"max_tokens\" must be an integer in [1, "
                    + LengthDistribution.MAX_LENGTH + "], got " + value);
        }
        return OptionalInt.of(value.asInt());
    }

    @Override
    public Prompt prompt(long index, SplittableRandom random) {
        return prompts.get((int) (index % prompts.size()));
    }

    @Override
    public String describe() {
        return "jsonl " + file + " (" + prompts.size() + " prompts)";
    }
}
