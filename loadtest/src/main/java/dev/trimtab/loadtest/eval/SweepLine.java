package dev.trimtab.loadtest.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One strategy through its strengths: fixed parameters, and the parameters varied (one for a line through
 * strengths, several for a grid: every combination is a point).
 *
 * @param name the line's name in reports and charts (unique in a sweep)
 * @param strategy the strategy's wire name, as the server spells it
 * @param params the fixed fields of the {@code alignment} object
 * @param vary dotted parameter paths (e.g. {@code lambda}, {@code weights.positive}) to the values they take
 */
public record SweepLine(String name, String strategy, ObjectNode params, Map<String, List<Double>> vary) {
    public SweepLine {
        params = params.deepCopy();
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        vary.forEach((path, values) -> copy.put(path, List.copyOf(values)));
        vary = java.util.Collections.unmodifiableMap(copy);
    }

    /** Whether the line varies more than one parameter (a grid, drawn as a front rather than a line). */
    public boolean grid() {
        return vary.size() > 1;
    }

    /** Every point of the line: the cartesian product of the varied values, in file order. */
    public List<SweepPoint> points() {
        List<Map<String, Double>> combinations = new ArrayList<>(List.of(Map.of()));
        for (Map.Entry<String, List<Double>> entry : vary.entrySet()) {
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> combination : combinations) {
                for (double value : entry.getValue()) {
                    Map<String, Double> extended = new LinkedHashMap<>(combination);
                    extended.put(entry.getKey(), value);
                    next.add(extended);
                }
            }
            combinations = next;
        }
        return combinations.stream().map(this::point).toList();
    }

    private SweepPoint point(Map<String, Double> strengths) {
        ObjectNode alignment = JsonNodeFactory.instance.objectNode().put("strategy", strategy);
        alignment.setAll(params.deepCopy());
        strengths.forEach((path, value) -> put(alignment, path, value));
        return new SweepPoint(name, strategy, strengths, alignment);
    }

    private static void put(ObjectNode node, String path, double value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = node;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.has(parts[i]) && parent.get(parts[i]).isObject()
                    ? (ObjectNode) parent.get(parts[i])
                    : parent.putObject(parts[i]);
        }
        String field = parts[parts.length - 1];
        if (value == Math.rint(value) && Math.abs(value) < 1e15 && !path.contains(".")) {
            parent.put(field, (long) value);
        } else {
            parent.put(field, value);
        }
    }
}
