package dev.trimtab.training.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.io.AtomicFiles;
import dev.trimtab.training.data.DataFormatException.Rule;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes JSON Lines data files: one JSON object per line, blank lines ignored, extra
 * fields ignored (datasets often carry more columns than a trainer reads).
 */
public final class JsonlFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bad lines a report keeps verbatim; the rest are only counted. */
    static final int REPORTED_ERRORS = 10;

    private JsonlFile() {}

    /**
     * What a read produced.
     *
     * @param records the good lines' records, in file order
     * @param skipped bad lines skipped (0 unless skipping was asked for)
     * @param errors the first bad lines' errors
     */
    public record Result<T>(List<T> records, int skipped, List<DataFormatException> errors) {}

    /**
     * Reads every line of {@code file} as {@code format}.
     *
     * @param skipBadLines skip and count malformed lines instead of failing on the first one
     * @throws DataFormatException on the first malformed line unless skipping
     */
    public static <T> Result<T> read(Path file, RecordFormat<T> format, boolean skipBadLines)
            throws IOException, DataFormatException {
        List<T> records = new ArrayList<>();
        List<DataFormatException> errors = new ArrayList<>();
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(format.parse(new Fields(file, number, object(file, number, line))));
                } catch (DataFormatException e) {
                    if (!skipBadLines) {
                        throw e;
                    }
                    skipped++;
                    if (errors.size() < REPORTED_ERRORS) {
                        errors.add(e);
                    }
                }
            }
        }
        return new Result<>(records, skipped, errors);
    }

    private static JsonNode object(Path file, long line, String text) throws DataFormatException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(
                    file, line, null, Rule.NOT_JSON, "is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DataFormatException(file, line, null, Rule.NOT_AN_OBJECT, "must be a JSON object");
        }
        return node;
    }

    /** Writes {@code rows} (records, maps or anything Jackson serializes), one per line, atomically. */
    public static void write(Path file, List<?> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Object row : rows) {
            text.append(JSON.writeValueAsString(row)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /** A JSON object of fields, in the given order. */
    public static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
