package dev.trimtab.loadtest.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A weighted mix of alignment strategies. Each request draws one entry; the entry's {@code alignment} object (e.g.
 * {@code {"strategy": "best_of_n", "n": 8}}) goes into the request body as the extra field {@code "alignment"}.
 *
 * <p>{@link #serverDefault()} sends no {@code alignment} field at all, so any OpenAI-compatible server sees a standard
 * request; its requests are recorded under the strategy name {@value #SERVER_DEFAULT}.
 */
public record StrategyMix(List<Entry> entries) {

    /**
     * What a strategy's wire name looks like. The load tester does not list the strategies: the
     * server under test is the authority (Trimtab lists its own in {@code /v1/models} and answers an
     * unknown one with a 400 naming {@code alignment.strategy}), so this tool never goes stale.
     */
    private static final Pattern WIRE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** The label of requests sent without an {@code alignment} field. */
    public static final String SERVER_DEFAULT = "default";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One strategy of the mix.
     *
     * @param name the strategy label recorded with each request
     * @param weight its relative weight, positive
     * @param alignment the body field to send; empty to send none
     */
    public record Entry(String name, double weight, Optional<ObjectNode> alignment) {
        public Entry {
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("weight of strategy " + name + " must be > 0, got " + weight);
            }
            alignment = alignment.map(ObjectNode::deepCopy);
        }

        /** A defensive copy of the body field, so that callers cannot change the mix. */
        @Override
        public Optional<ObjectNode> alignment() {
            return alignment.map(ObjectNode::deepCopy);
        }
    }

    public StrategyMix {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a strategy mix needs at least one entry, got none");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (!names.add(entry.name())) {
                throw new IllegalArgumentException("strategy " + entry.name() + " appears twice in the mix");
            }
        }
    }

    /** Every request without an {@code alignment} field: a plain OpenAI completions request. */
    public static StrategyMix serverDefault() {
        return new StrategyMix(List.of(new Entry(SERVER_DEFAULT, 1, Optional.empty())));
    }

    /**
     * Parses {@code none:50,genarm:30,best_of_n:20} and merges each strategy's parameters, given as JSON objects by
     * strategy name (e.g. {@code best_of_n -> {"n": 8}}), into its {@code alignment} object.
     */
    public static StrategyMix parse(String mix, Map<String, String> params) {
        Map<String, Double> weights = parseWeights(mix);
        for (String strategy : params.keySet()) {
            if (!weights.containsKey(strategy)) {
                throw new IllegalArgumentException("parameters given for strategy '" + strategy
                        + "', which is not in the mix " + weights.keySet() + "; add it to the mix or drop them");
            }
        }
        List<Entry> entries = new ArrayList<>();
        weights.forEach(
                (name, weight) -> entries.add(new Entry(name, weight, Optional.of(alignment(name, params.get(name))))));
        return new StrategyMix(entries);
    }

    private static Map<String, Double> parseWeights(String mix) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String part : mix.split(",", -1)) {
            String[] pair = part.strip().split(":", -1);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new IllegalArgumentException(
                        "each mix entry must be STRATEGY:WEIGHT (e.g. none:50,genarm:30), got '" + part.strip() + "'");
            }
            String name = pair[0].strip();
            if (!WIRE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("strategy names are wire names like best_of_n (lowercase letters,"
                        + " digits and underscores), got '" + name + "'; the server's /v1/models lists its strategies");
            }
            if (weights.put(name, parseWeight(name, pair[1].strip())) != null) {
                throw new IllegalArgumentException("strategy " + name + " appears twice in the mix '" + mix + "'");
            }
        }
        return weights;
    }

    private static double parseWeight(String name, String text) {
        try {
            double weight = Double.parseDouble(text);
            if (weight > 0 && !Double.isInfinite(weight)) {
                return weight;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        throw new IllegalArgumentException("weight of strategy " + name + " must be a number > 0, got '" + text + "'");
    }

    private static ObjectNode alignment(String name, String params) {
        ObjectNode alignment = JSON.createObjectNode().put("strategy", name);
        if (params == null) {
            return alignment;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("parameters of strategy " + name + " must be a JSON object like "
                    + "{\"n\": 8}, got '" + params + "' (" + e.getOriginalMessage() + ")");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("parameters of strategy " + name + " must be a JSON object like "
                    + "{\"n\": 8}, got '" + params + "'");
        }
        if (parsed.has("strategy")) {
            throw new IllegalArgumentException("parameters of strategy " + name
                    + " must not set \"strategy\" (the mix sets it), got '" + params + "'");
        }
        return alignment.setAll((ObjectNode) parsed);
    }

    /** Draws an entry with probability proportional to its weight. */
    public Entry pick(SplittableRandom random) {
        double point = random.nextDouble() * totalWeight();
        for (Entry entry : entries) {
            point -= entry.weight();
            if (point < 0) {
                return entry;
            }
        }
        return entries.getLast();
    }

    private double totalWeight() {
        return entries.stream().mapToDouble(Entry::weight).sum();
    }

    /** The mix as written, with parameters, e.g. {@code none:50, best_of_n:20 {"n":8}}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Entry entry : entries) {
            String params = entry.alignment
                    .map(a -> {
                        ObjectNode copy = a.deepCopy();
                        copy.remove("strategy");
                        return copy.isEmpty() ? "" : " " + copy;
                    })
                    .orElse(" (no alignment field)");
            parts.add(entry.name() + ":" + trim(entry.weight()) + params);
        }
        return String.join(", ", parts);
    }

    private static String trim(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }
}
