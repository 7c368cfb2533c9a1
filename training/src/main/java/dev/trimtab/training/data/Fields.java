package dev.trimtab.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.training.data.DataFormatException.Rule;
import java.nio.file.Path;

/** Reads typed fields of one JSONL line, failing with the line's position and the broken rule. */
public final class Fields {
    private final Path file;
    private final long line;
    private final JsonNode object;

    Fields(Path file, long line, JsonNode object) {
        this.file = file;
        this.line = line;
        this.object = object;
    }

    /** Whether {@code field} is present and not null. */
    public boolean has(String field) {
        return object.hasNonNull(field);
    }

    /** A string field; {@code nonBlank} also refuses empty and blank strings. */
    public String text(String field, boolean nonBlank) throws DataFormatException {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw error(field, Rule.NOT_A_STRING, "must be a string, got " + describe(value));
        }
        if (nonBlank && value.asText().isBlank()) {
            throw error(field, Rule.EMPTY_TEXT, "must not be empty or blank");
        }
        return value.asText();
    }

    /** A finite number field. */
    public double number(String field) throws DataFormatException {
        JsonNode value = required(field);
        if (!value.isNumber()) {
            throw error(field, Rule.NOT_A_NUMBER, "must be a number, got " + describe(value));
        }
        double number = value.asDouble();
        if (!Double.isFinite(number)) {
            throw error(field, Rule.NOT_FINITE, "must be finite, got " + value);
        }
        return number;
    }

    /** An error about {@code field} of this line. */
    public DataFormatException error(String field, Rule rule, String detail) {
        return new DataFormatException(file, line, field, rule, detail);
    }

    private JsonNode required(String field) throws DataFormatException {
        if (!has(field)) {
            throw error(field, Rule.MISSING_FIELD, "is required");
        }
        return object.get(field);
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
