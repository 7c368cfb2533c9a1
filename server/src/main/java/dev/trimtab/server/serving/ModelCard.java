package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.registry.StrategyRegistry;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import java.util.Locale;
import java.util.Optional;

/**
 * A model's {@code /v1/models} entry, read off the registry: the strategies its auxiliary models
 * make servable, each with its parameters (type, default, range, choices, the models it may name),
 * and the auxiliary models by kind. What a client (or the playground) builds its controls from.
 */
final class ModelCard {
    private ModelCard() {}

    static ObjectNode of(String name, AlignmentModels models, StrategyRegistry registry) {
        ObjectNode card = JsonNodeFactory.instance.objectNode();
        card.put("id", name);
        card.put("object", "model");
        card.put("created", 0);
        card.put("owned_by", "trimtab");
        card.put("max_model_len", models.base().decoder().contextLength());
        ArrayNode strategies = card.putArray("strategies");
        ObjectNode parameters = card.putObject("strategy_parameters");
        for (StrategyDescriptor descriptor : registry.servable(models)) {
            strategies.add(descriptor.name());
            ArrayNode fields = parameters.putArray(descriptor.name());
            descriptor.fields().forEach(field -> fields.add(field(field, models)));
        }
        ObjectNode auxiliary = card.putObject("auxiliary_models");
        for (ModelKind kind : ModelKind.values()) {
            if (!models.names(kind).isEmpty()) {
                models.names(kind).forEach(auxiliary.putArray(kind.configKey())::add);
            }
        }
        return card;
    }

    private static ObjectNode field(ParamField field, AlignmentModels models) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", field.name());
        node.put("type", field.type().name().toLowerCase(Locale.ROOT));
        node.put("description", field.description());
        field.defaultValue().ifPresent(value -> node.putPOJO("default", value));
        node.put("required", field.required());
        if (field.type() == ParamField.Type.INTEGER || field.type() == ParamField.Type.NUMBER) {
            putBound(node, "minimum", field.min());
            node.put("exclusive_minimum", field.minExclusive());
            putBound(node, "maximum", field.max());
        }
        if (!field.choices().isEmpty()) {
            field.choices().forEach(node.putArray("choices")::add);
        }
        if (!field.modelKinds().isEmpty()) {
            putModels(node, field, models);
        }
        return node;
    }

    /**
     * The kinds a model field accepts (the first, its preferred one, also as {@code model_kind}), the
     * served models it may name, and the path each takes: {@code incremental} for a decoder stepped
     * with its KV cache in a lane, {@code sequence} for a reward model scoring whole sequences.
     */
    private static void putModels(ObjectNode node, ParamField field, AlignmentModels models) {
        node.put("model_kind", field.modelKinds().get(0).configKey());
        ArrayNode kinds = node.putArray("model_kinds");
        field.modelKinds().forEach(kind -> kinds.add(kind.configKey()));
        node.put("model_needed", field.modelNeeded());
        ArrayNode names = node.putArray("models");
        ObjectNode paths = node.putObject("model_paths");
        for (String name : models.names(field.modelKinds())) {
            names.add(name);
            ModelKind kind = models.kind(field.path(), Optional.of(name), field.modelKinds());
            paths.put(name, kind.layout() == ModelKind.Layout.SEQUENCE ? "sequence" : "incremental");
        }
    }

    /** JSON has no infinities: an unbounded side is left out. */
    private static void putBound(ObjectNode node, String key, double bound) {
        if (Double.isFinite(bound)) {
            node.put(key, bound);
        }
    }
}
