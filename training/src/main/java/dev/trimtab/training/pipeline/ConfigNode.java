package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads typed values from one object of a YAML recipe, collecting every error with its path
 * ({@code runs[2].beta must be > 0, got -1}) instead of stopping at the first, and refusing keys
 * it does not know (so that a misspelt key is an error, not a silently ignored setting).
 */
final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final List<String> errors;

    ConfigNode(JsonNode node, String path, List<String> errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
        if (node != null && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
            errors.add(where("") + " must be a mapping, got "
                    + node.getNodeType().name().toLowerCase());
        }
    }

    String path() {
        return path;
    }

    List<String> errors() {
        return errors;
    }

    boolean has(String key) {
        return node != null && node.hasNonNull(key);
    }

    ConfigNode child(String key) {
        return new ConfigNode(node == null ? null : node.get(key), where(key), errors);
    }

    /** The elements of the list under {@code key}, each as a node ({@code key[i]}). */
    List<ConfigNode> list(String key) {
        List<ConfigNode> items = new ArrayList<>();
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return items;
        }
        if (!value.isArray()) {
            errors.add(where(key) + " must be a list");
            return items;
        }
        for (int i = 0; i < value.size(); i++) {
            items.add(new ConfigNode(value.get(i), where(key) + "[" + i + "]", errors));
        }
        return items;
    }

    String text(String key, String fallback) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                errors.add(where(key) + " is required");
            }
            return fallback;
        }
        if (!value.isValueNode()) {
            errors.add(where(key) + " must be a single value");
            return fallback;
        }
        return value.asText();
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            errors.add(where(key) + " must be an integer in [" + min + ", " + max + "], got " + value);
            return fallback;
        }
        return value.asInt();
    }

    long longValue(String key, long fallback) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            errors.add(where(key) + " must be an integer, got " + value);
            return fallback;
        }
        return value.asLong();
    }

    /** A number in {@code [min, max]}; {@code openMin} makes the lower bound exclusive. */
    double number(String key, double fallback, double min, boolean openMin, double max) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        double number = value.isNumber() ? value.asDouble() : Double.NaN;
        boolean aboveMin = openMin ? number > min : number >= min;
        if (!value.isNumber() || !aboveMin || !(number <= max)) {
            errors.add(where(key) + " must be a number in " + (openMin ? "(" : "[") + min + ", " + max + "], got "
                    + value);
            return fallback;
        }
        return number;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            errors.add(where(key) + " must be true or false, got " + value);
            return fallback;
        }
        return value.asBoolean();
    }

    /** Reports every key of this object that is not in {@code known}. */
    void onlyKeys(Set<String> known) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                errors.add(where(key) + " is not a known key; known keys: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    JsonNode raw() {
        return node;
    }

    private String where(String key) {
        if (key.isEmpty()) {
            return path.isEmpty() ? "the recipe" : path;
        }
        return path.isEmpty() ? key : path + "." + key;
    }
}
