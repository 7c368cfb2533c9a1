package dev.trimtab.loadtest.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An evaluation sweep: which model, which prompts, how many samples, and the strategy lines to run. Loaded from
 * YAML (see {@code configs/eval/demo.yaml}); every broken rule is reported at once with its place in the file.
 * Sampling is fixed at temperature 1 without filters, so that the log-probabilities the server returns are those of
 * the distribution each token was drawn from (the server reports them before temperature and filters).
 *
 * @param model the base model every request names
 * @param prompts a JSONL file of {@code {"prompt": ...}} lines, resolved against the sweep file's folder
 * @param promptCount how many prompts of the file to use, from its start
 * @param samples completions per prompt and point (one request with {@code n = samples})
 * @param maxTokens {@code max_tokens} of every request
 * @param seed request {@code i}'s seed is {@code seed + i} for every point (common random numbers across points)
 * @param lines the strategy lines; the first line named {@code none} is the reference for costs
 */
public record SweepConfig(
        String model, Path prompts, int promptCount, int samples, int maxTokens, long seed, List<SweepLine> lines) {

    /** The most tokens a request may ask for here; the demo's context is 96. */
    public static final int MAX_TOKENS_LIMIT = 4096;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public SweepConfig {
        lines = List.copyOf(lines);
        List<String> errors = new ArrayList<>();
        if (model == null || model.isBlank()) errors.add("model must be a non-empty string");
        if (promptCount < 1) errors.add("prompt_count must be at least 1, got " + promptCount);
        if (samples < 1 || samples > 128) errors.add("samples must be in [1, 128], got " + samples);
        if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
            errors.add("max_tokens must be in [1, " + MAX_TOKENS_LIMIT + "], got " + maxTokens);
        }
        if (lines.stream().noneMatch(line -> line.strategy().equals("none"))) {
            errors.add("lines must hold a line with strategy none: the reference for KL and cost");
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
    }

    /** Every point of every line, in file order. */
    public List<SweepPoint> points() {
        return lines.stream().flatMap(line -> line.points().stream()).toList();
    }

    /** A copy with the command line's overrides; empty ones keep the file's values. */
    public SweepConfig with(
            Optional<String> model,
            Optional<Path> prompts,
            Optional<Integer> promptCount,
            Optional<Integer> samples,
            Optional<Integer> maxTokens,
            Optional<Long> seed) {
        return new SweepConfig(
                model.orElse(this.model),
                prompts.orElse(this.prompts),
                promptCount.orElse(this.promptCount),
                samples.orElse(this.samples),
                maxTokens.orElse(this.maxTokens),
                seed.orElse(this.seed),
                lines);
    }

    /**
     * Reads a sweep file.
     *
     * @throws IllegalArgumentException naming the file and every broken field
     */
    public static SweepConfig load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sweep file " + file + ": " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(root == null ? JsonNodeFactory.instance.objectNode() : root, folder, file.toString());
    }

    /** Parses a sweep's tree; relative prompt paths resolve against {@code folder}. */
    static SweepConfig parse(JsonNode root, Path folder, String where) {
        Reader reader = new Reader(root);
        String model = reader.text("model");
        String promptsPath = reader.text("prompts");
        int promptCount = reader.integer("prompt_count", 40);
        int samples = reader.integer("samples", 4);
        int maxTokens = reader.integer("max_tokens", 48);
        long seed = reader.integer("seed", 1000);
        List<SweepLine> lines = reader.lines();
        reader.rejectUnknown(Set.of("model", "prompts", "prompt_count", "samples", "max_tokens", "seed", "lines"));
        if (!reader.errors.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + String.join("; ", reader.errors));
        }
        try {
            return new SweepConfig(
                    model, folder.resolve(promptsPath).normalize(), promptCount, samples, maxTokens, seed, lines);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Reads fields, collecting every error instead of stopping at the first. */
    private static final class Reader {
        final JsonNode root;
        final List<String> errors = new ArrayList<>();

        Reader(JsonNode root) {
            this.root = root;
            if (!root.isObject()) errors.add("the sweep must be a mapping, got " + root.getNodeType());
        }

        String text(String field) {
            JsonNode value = root.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                errors.add(field + " must be a non-empty string, got " + (value == null ? "nothing" : value));
                return "";
            }
            return value.asText();
        }

        int integer(String field, int fallback) {
            JsonNode value = root.get(field);
            if (value == null) return fallback;
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                errors.add(field + " must be an integer, got " + value);
                return fallback;
            }
            return value.asInt();
        }

        List<SweepLine> lines() {
            JsonNode lines = root.get("lines");
            if (lines == null || !lines.isArray() || lines.isEmpty()) {
                errors.add("lines must be a non-empty list of {name, strategy, params, vary}");
                return List.of();
            }
            List<SweepLine> parsed = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                line(lines.get(i), "lines[" + i + "]").ifPresent(line -> {
                    if (!names.add(line.name())) errors.add("line name \"" + line.name() + "\" is used twice");
                    parsed.add(line);
                });
            }
            return parsed;
        }

        private Optional<SweepLine> line(JsonNode node, String where) {
            if (!node.isObject()) {
                errors.add(where + " must be a mapping {name, strategy, params, vary}, got " + node);
                return Optional.empty();
            }
            int before = errors.size();
            String strategy = node.path("strategy").asText("");
            if (strategy.isBlank()) errors.add(where + ".strategy must be a strategy's wire name, e.g. dera");
            String name = node.path("name").asText(strategy);
            JsonNode params = node.path("params");
            if (!params.isMissingNode() && !params.isObject()) {
                errors.add(where + ".params must be a mapping of alignment fields, got " + params);
            }
            if (params.has("strategy")) errors.add(where + ".params must not hold strategy; set it on the line");
            Map<String, List<Double>> vary = vary(node.path("vary"), where + ".vary");
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!Set.of("name", "strategy", "params", "vary").contains(field)) {
                    errors.add(where + "." + field + " is not a line field; use name, strategy, params or vary");
                }
            }
            if (errors.size() > before) return Optional.empty();
            ObjectNode fixed = params.isObject() ? (ObjectNode) params : JsonNodeFactory.instance.objectNode();
            return Optional.of(new SweepLine(name, strategy, fixed, vary));
        }

        private Map<String, List<Double>> vary(JsonNode node, String where) {
            Map<String, List<Double>> vary = new LinkedHashMap<>();
            if (node.isMissingNode()) return vary;
            if (!node.isObject()) {
                errors.add(where + " must map parameter paths to lists of numbers, got " + node);
                return vary;
            }
            node.properties().forEach(entry -> {
                JsonNode values = entry.getValue();
                List<Double> numbers = new ArrayList<>();
                values.forEach(v -> {
                    if (v.isNumber() && Double.isFinite(v.asDouble())) numbers.add(v.asDouble());
                });
                if (!values.isArray() || values.isEmpty() || numbers.size() != values.size()) {
                    errors.add(where + "." + entry.getKey() + " must be a non-empty list of finite numbers, got "
                            + values);
                } else {
                    vary.put(entry.getKey(), numbers);
                }
            });
            return vary;
        }

        void rejectUnknown(Set<String> known) {
            if (!root.isObject()) return;
            root.fieldNames().forEachRemaining(field -> {
                if (!known.contains(field)) {
                    errors.add(field + " is not a sweep field; known: "
                            + String.join(", ", new java.util.TreeSet<>(known)));
                }
            });
        }
    }
}
