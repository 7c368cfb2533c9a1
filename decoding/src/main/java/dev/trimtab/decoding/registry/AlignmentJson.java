package dev.trimtab.decoding.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.ParamValues;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an {@code alignment} JSON object against the registry: the strategy's name, then each
 * parameter checked against its declared type; the descriptor builds and validates the record.
 */
final class AlignmentJson {
    private static final String STRATEGY = "alignment.strategy";

    private AlignmentJson() {}

    static AlignmentStrategy read(StrategyRegistry registry, JsonNode alignment) {
        if (alignment == null || !alignment.isObject()) {
            throw InvalidRequestException.invalid(
                    "alignment",
                    "alignment must be an object like {\"strategy\": \"none\"}, got " + abbreviate(alignment));
        }
        StrategyDescriptor descriptor = registry.get(STRATEGY, strategyName(alignment));
        rejectUnknown(alignment, descriptor);
        ParamValues.Builder values = ParamValues.builder(descriptor);
        for (ParamField field : descriptor.fields()) {
            JsonNode node = alignment.get(field.name());
            if (node != null && !node.isNull()) {
                put(values, field, node);
            } else if (field.required()) {
                throw InvalidRequestException.invalid(
                        field.path(), field.path() + " is required: " + field.description());
            }
        }
        return descriptor.create(values.build());
    }

    private static String strategyName(JsonNode alignment) {
        JsonNode name = alignment.get("strategy");
        if (name == null || name.isNull()) {
            return "none";
        }
        if (!name.isTextual()) {
            throw wrongType(STRATEGY, "a string", name);
        }
        return name.asText();
    }

    private static void rejectUnknown(JsonNode alignment, StrategyDescriptor descriptor) {
        for (Iterator<String> names = alignment.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("strategy") && descriptor.field(name).isEmpty()) {
                String known = descriptor.fields().isEmpty()
                        ? "none"
                        : String.join(
                                ", ", descriptor.fieldNames().stream().sorted().toList());
                throw InvalidRequestException.invalid(
                        "alignment." + name,
                        "alignment." + name + " is not a parameter of strategy " + descriptor.name()
                                + " (its parameters: " + known + ")");
            }
        }
    }

    private static void put(ParamValues.Builder values, ParamField field, JsonNode node) {
        String path = field.path();
        switch (field.type()) {
            case INTEGER -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) throw wrongType(path, "an integer", node);
                values.integer(field.name(), node.asInt());
            }
            case NUMBER -> {
                if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
                    throw wrongType(path, "a finite number", node);
                }
                values.number(field.name(), node.asDouble());
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) throw wrongType(path, "true or false", node);
                values.flag(field.name(), node.asBoolean());
            }
            case CHOICE -> values.choice(field.name(), choice(field, node));
            case MODEL -> {
                if (!node.isTextual()) throw wrongType(path, "a model name (a string)", node);
                values.model(field.name(), node.asText());
            }
            case MODEL_WEIGHTS -> values.weights(field.name(), weights(field, node));
        }
    }

    private static String choice(ParamField field, JsonNode node) {
        if (!node.isTextual()) {
            throw wrongType(field.path(), "a string", node);
        }
        String value = node.asText().toLowerCase(Locale.ROOT);
        if (!field.choices().contains(value)) {
            throw InvalidRequestException.invalid(
                    field.path(),
                    field.path() + " must be one of " + field.choices() + ", got \"" + node.asText() + "\"");
        }
        return value;
    }

    private static Map<String, Double> weights(ParamField field, JsonNode node) {
        if (!node.isObject()) {
            throw wrongType(field.path(), "an object of model name to weight", node);
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            String path = field.path() + "." + entry.getKey();
            if (!entry.getValue().isNumber()) {
                throw wrongType(path, "a number", entry.getValue());
            }
            weights.put(entry.getKey(), entry.getValue().asDouble());
        });
        return weights;
    }

    private static InvalidRequestException wrongType(String path, String expected, JsonNode node) {
        return InvalidRequestException.invalid(path, path + " must be " + expected + ", got " + abbreviate(node));
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
