package dev.trimtab.loadtest.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.loadtest.Numbers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One strategy at one strength: the {@code alignment} object sent with every request of the point.
 *
 * @param line the sweep line the point belongs to (one line per strategy through its strengths)
 * @param strategy the strategy's wire name
 * @param strengths the varied parameters and their values here, by dotted path (e.g. {@code weights.positive}); empty
 *     for a line without strengths
 * @param alignment the request's {@code alignment} object
 */
public record SweepPoint(String line, String strategy, Map<String, Double> strengths, ObjectNode alignment) {
    public SweepPoint {
        strengths = Collections.unmodifiableMap(new LinkedHashMap<>(strengths));
        alignment = alignment.deepCopy();
    }

    /** The request's {@code alignment} object (a copy: callers may add fields). */
    @Override
    public ObjectNode alignment() {
        return alignment.deepCopy();
    }

    /** The line's name and each strength, e.g. {@code dera lambda=0.5}. */
    public String label() {
        if (strengths.isEmpty()) {
            return line;
        }
        return line + " "
                + strengths.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> shortName(e.getKey()) + "=" + Numbers.trim(e.getValue()))
                        .collect(Collectors.joining(" "));
    }

    private static String shortName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
