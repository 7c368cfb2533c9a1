package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.schedule.AlignmentStrategy;
import dev.trimtab.decoding.schedule.PlainSampling;
import dev.trimtab.decoding.strategy.args.ArgsParams;
import dev.trimtab.decoding.strategy.bestofn.BestOfNParams;
import dev.trimtab.decoding.strategy.cd.ControlledDecodingParams;
import dev.trimtab.decoding.strategy.dera.DeraParams;
import dev.trimtab.decoding.strategy.genarm.GenArmParams;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Turns a request's {@code alignment} object into a strategy with its parameters:
 *
 * <pre>
 * {"strategy": "none"}
 * {"strategy": "best_of_n", "n": 8, "reward_model": "positive", "tau": 0.5, "return_all": true}
 * {"strategy": "args", "k": 10, "weight": 1.0, "mode": "greedy"|"stochastic", "reward_model": "positive"}
 * {"strategy": "cd", "mode": "tokenwise"|"blockwise", "scorer": "positive", "lambda": 1.0, "k": 10,
 *  "candidates": 4, "block_length": 8}
 * {"strategy": "dera", "lambda": 0.7, "aligned": "dpo"}
 * {"strategy": "genarm", "weights": {"positive": 1.0, "concise": 0.5}}
 * </pre>
 *
 * Absent parameters take the strategy's defaults; an unknown parameter, a wrong type or a value out
 * of range is a 400 naming {@code alignment.<field>}.
 */
public final class AlignmentParser {
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "none", Set.of(),
            "best_of_n", Set.of("n", "reward_model", "tau", "return_all"),
            "args", Set.of("k", "weight", "mode", "reward_model"),
            "cd", Set.of("mode", "scorer", "lambda", "k", "candidates", "block_length"),
            "dera", Set.of("lambda", "aligned"),
            "genarm", Set.of("weights"));

    private AlignmentParser() {}

    public static AlignmentStrategy parse(Optional<JsonNode> alignment) {
        if (alignment.isEmpty()) {
            return PlainSampling.INSTANCE;
        }
        JsonFields fields = new JsonFields(alignment.get(), "alignment.");
        String strategy = fields.optionalString("strategy").orElse("none");
        Set<String> allowed = FIELDS.get(strategy);
        if (allowed == null) {
            throw ApiException.invalid(
                    "alignment.strategy",
                    "alignment.strategy must be one of " + List.of("none", "best_of_n", "args", "cd", "dera", "genarm")
                            + ", got \"" + strategy + "\"");
        }
        rejectUnknown(alignment.get(), strategy, allowed);
        try {
            return build(strategy, fields);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(paramOf(e.getMessage()), e.getMessage());
        }
    }

    private static AlignmentStrategy build(String strategy, JsonFields fields) {
        return switch (strategy) {
            case "best_of_n" ->
                new BestOfNParams(
                        fields.optionalInt("n", Integer.MIN_VALUE, Integer.MAX_VALUE)
                                .orElse(4),
                        fields.optionalString("reward_model"),
                        fields.optionalDouble("tau").map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                        fields.flag("return_all"));
            case "args" ->
                new ArgsParams(
                        fields.optionalInt("k", Integer.MIN_VALUE, Integer.MAX_VALUE)
                                .orElse(ArgsParams.DEFAULT_K),
                        fields.optionalDouble("weight").orElse(ArgsParams.DEFAULT_WEIGHT),
                        mode(fields, ArgsParams.Mode.class, ArgsParams.Mode.GREEDY),
                        fields.optionalString("reward_model"));
            case "cd" ->
                new ControlledDecodingParams(
                        mode(fields, ControlledDecodingParams.Mode.class, ControlledDecodingParams.Mode.TOKENWISE),
                        fields.optionalString("scorer"),
                        fields.optionalDouble("lambda").orElse(ControlledDecodingParams.DEFAULT_LAMBDA),
                        fields.optionalInt("k", Integer.MIN_VALUE, Integer.MAX_VALUE)
                                .orElse(ControlledDecodingParams.DEFAULT_K),
                        fields.optionalInt("candidates", Integer.MIN_VALUE, Integer.MAX_VALUE)
                                .orElse(ControlledDecodingParams.DEFAULT_CANDIDATES),
                        fields.optionalInt("block_length", Integer.MIN_VALUE, Integer.MAX_VALUE)
                                .orElse(ControlledDecodingParams.DEFAULT_BLOCK_LENGTH));
            case "dera" ->
                new DeraParams(
                        fields.optionalDouble("lambda").orElse(DeraParams.DEFAULT_LAMBDA),
                        fields.optionalString("aligned"));
            case "genarm" -> new GenArmParams(weights(fields));
            default -> PlainSampling.INSTANCE;
        };
    }

    private static <E extends Enum<E>> E mode(JsonFields fields, Class<E> type, E fallback) {
        Optional<String> mode = fields.optionalString("mode");
        if (mode.isEmpty()) return fallback;
        try {
            return Enum.valueOf(type, mode.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    "alignment.mode",
                    "alignment.mode must be one of "
                            + java.util.Arrays.stream(type.getEnumConstants())
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList()
                            + ", got \"" + mode.get() + "\"");
        }
    }

    private static Map<String, Double> weights(JsonFields fields) {
        JsonNode node = fields.optionalObject("weights")
                .orElseThrow(() -> ApiException.invalid(
                        "alignment.weights", "alignment.weights is required: an object of ARM name to weight"));
        Map<String, Double> weights = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isNumber()) {
                throw ApiException.invalid(
                        "alignment.weights." + entry.getKey(),
                        "alignment.weights." + entry.getKey() + " must be a number, got "
                                + JsonFields.abbreviate(entry.getValue()));
            }
            weights.put(entry.getKey(), entry.getValue().asDouble());
        });
        return weights;
    }

    private static void rejectUnknown(JsonNode alignment, String strategy, Set<String> allowed) {
        for (Iterator<String> names = alignment.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("strategy") && !allowed.contains(name)) {
                throw ApiException.invalid(
                        "alignment." + name,
                        "alignment." + name + " is not a parameter of strategy " + strategy + " (its parameters: "
                                + (allowed.isEmpty()
                                        ? "none"
                                        : String.join(
                                                ", ", allowed.stream().sorted().toList())) + ")");
            }
        }
    }

    /** The {@code alignment.*} field a strategy's error message begins with. */
    private static String paramOf(String message) {
        int space = message.indexOf(' ');
        return message.startsWith("alignment.") && space > 0 ? message.substring(0, space) : "alignment";
    }
}
