package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads typed fields of a JSON request body; a wrong type is a 400 naming the field and the expected type. */
final class JsonFields {
    private final JsonNode body;
    private final String prefix;

    JsonFields(JsonNode body, String prefix) {
        this.body = body;
        this.prefix = prefix;
    }

    private JsonNode present(String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node;
    }

    String name(String field) {
        return prefix + field;
    }

    String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> ApiException.invalid(name(field), name(field) + " is required"));
    }

    Optional<String> optionalString(String field) {
        JsonNode node = present(field);
        if (node == null) return Optional.empty();
        if (!node.isTextual()) throw wrongType(field, "a string", node);
        return Optional.of(node.asText());
    }

    Optional<Double> optionalDouble(String field) {
        JsonNode node = present(field);
        if (node == null) return Optional.empty();
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) throw wrongType(field, "a finite number", node);
        return Optional.of(node.asDouble());
    }

    Optional<Integer> optionalInt(String field, int min, int max) {
        JsonNode node = present(field);
        if (node == null) return Optional.empty();
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw ApiException.invalid(
                    name(field),
                    name(field) + " must be an integer in [" + min + ", " + max + "], got " + abbreviate(node));
        }
        return Optional.of(node.asInt());
    }

    Optional<Long> optionalLong(String field) {
        JsonNode node = present(field);
        if (node == null) return Optional.empty();
        if (!node.isIntegralNumber() || !node.canConvertToLong()) throw wrongType(field, "a 64-bit integer", node);
        return Optional.of(node.asLong());
    }

    /** Whether {@code field} is present and the integer 0. */
    boolean isZero(String field) {
        JsonNode node = present(field);
        return node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() == 0;
    }

    boolean flag(String field) {
        JsonNode node = present(field);
        if (node == null) return false;
        if (!node.isBoolean()) throw wrongType(field, "true or false", node);
        return node.asBoolean();
    }

    Optional<JsonNode> optionalObject(String field) {
        JsonNode node = present(field);
        if (node == null) return Optional.empty();
        if (!node.isObject()) throw wrongType(field, "an object", node);
        return Optional.of(node);
    }

    /** A string or a list of strings (as {@code stop} is), at most {@code max} of them. */
    List<String> stringOrList(String field, int max) {
        JsonNode node = present(field);
        List<String> values = new ArrayList<>();
        if (node == null) return values;
        if (node.isTextual()) {
            values.add(node.asText());
            return values;
        }
        if (!node.isArray()) throw wrongType(field, "a string or a list of strings", node);
        if (node.size() > max) {
            throw ApiException.invalid(
                    name(field), name(field) + " must hold at most " + max + " strings, got " + node.size());
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) throw wrongType(field, "a string or a list of strings", node);
            values.add(item.asText());
        }
        return values;
    }

    ApiException wrongType(String field, String expected, JsonNode node) {
        return ApiException.invalid(name(field), name(field) + " must be " + expected + ", got " + abbreviate(node));
    }

    static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
