package dev.trimtab.decoding.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.registry.StrategyRegistry;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configurations {@code bench-strategies} measures, read off the registry: every strategy with
 * its defaults, once per choice of each of its choice parameters (ARGS greedy and stochastic, CD
 * tokenwise and blockwise) and once per served model of each kind it names (GenARM with each ARM),
 * with the user's {@code strategy.field=value} settings on top. A new strategy is measured without
 * touching the benchmark.
 */
final class BenchCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One measured configuration: a label and the request's {@code alignment} object. */
    record Case(String label, ObjectNode alignment, AlignmentStrategy strategy) {}

    private BenchCases() {}

    /**
     * @param settings {@code strategy.field} to a JSON value, e.g. {@code best_of_n.n -> 16}
     * @throws IllegalArgumentException for a setting that names no strategy of the registry
     */
    static List<Case> of(StrategyRegistry registry, AlignmentModels models, Map<String, String> settings) {
        for (String key : settings.keySet()) {
            String strategy = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            registry.get("--set " + key, strategy);
        }
        List<Case> cases = new ArrayList<>();
        for (StrategyDescriptor descriptor : registry.servable(models)) {
            ObjectNode alignment = JSON.createObjectNode().put("strategy", descriptor.name());
            settings.forEach((key, value) -> {
                if (key.startsWith(descriptor.name() + ".")) {
                    alignment.set(key.substring(descriptor.name().length() + 1), parse(key, value));
                }
            });
            expand(descriptor.name(), alignment, descriptor.fields(), models, cases, registry);
        }
        return cases;
    }

    private static void expand(
            String label,
            ObjectNode alignment,
            List<ParamField> fields,
            AlignmentModels models,
            List<Case> cases,
            StrategyRegistry registry) {
        if (fields.isEmpty()) {
            cases.add(new Case(label, alignment, registry.parse(alignment)));
            return;
        }
        ParamField field = fields.get(0);
        List<ParamField> rest = fields.subList(1, fields.size());
        List<String> options = options(field, models);
        if (alignment.has(field.name()) || options.isEmpty()) {
            expand(label, alignment, rest, models, cases, registry);
            return;
        }
        for (String option : options) {
            ObjectNode variant = alignment.deepCopy();
            if (field.type() == ParamField.Type.MODEL_WEIGHTS) {
                variant.putObject(field.name()).put(option, 1.0);
            } else {
                variant.put(field.name(), option);
            }
            expand(options.size() > 1 ? label + "-" + option : label, variant, rest, models, cases, registry);
        }
    }

    /** The values a field is measured with: each choice, each model of its kind; none for the rest. */
    private static List<String> options(ParamField field, AlignmentModels models) {
        return switch (field.type()) {
            case CHOICE -> field.choices();
            case MODEL, MODEL_WEIGHTS -> models.names(field.modelKinds());
            default -> List.of();
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String key, String value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--set " + key + " must be a JSON value, got '" + value + "'", e);
        }
    }
}
