package dev.trimtab.training.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics as JSON Lines, one object per logged step: {@code {"split":"train","step":10,
 * "loss":...}}; held-out evaluations have {@code "split":"heldout"}. A resumed run first drops the
 * lines logged after its checkpoint, so the file reads as one uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;
    private final List<Map<String, Object>> records = new ArrayList<>();

    private MetricsLog(Path file, BufferedWriter writer, List<Map<String, Object>> kept) {
        this.file = file;
        this.writer = writer;
        this.records.addAll(kept);
    }

    /** Opens {@code file}, keeping the records up to {@code keepThroughStep} (use -1 to start afresh). */
    public static MetricsLog open(Path file, int keepThroughStep) throws IOException {
        List<Map<String, Object>> kept = keepThroughStep < 0 ? List.of() : readUpTo(file, keepThroughStep);
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> record : kept) {
            text.append(MAPPER.writeValueAsString(record)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new MetricsLog(file, writer, kept);
    }

    private static List<Map<String, Object>> readUpTo(Path file, int step) throws IOException {
        List<Map<String, Object>> kept = new ArrayList<>();
        if (!Files.exists(file)) {
            return kept;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = MAPPER.readTree(line);
            if (node.path("step").asInt(Integer.MAX_VALUE) <= step) {
                kept.add(toMap(node));
            }
        }
        return kept;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, LinkedHashMap.class);
    }

    /** Appends one record and flushes it. */
    public void log(Map<String, Object> record) {
        records.add(new LinkedHashMap<>(record));
        try {
            writer.write(MAPPER.writeValueAsString(record));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Every record of the run so far, kept ones included. */
    public List<Map<String, Object>> records() {
        return List.copyOf(records);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
