package dev.trimtab.decoding.strategy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parameter of a strategy as requests spell it ({@code alignment.<name>}): its type, its
 * default, its documented range, the models it may name. What the server's parser checks types
 * against, what {@code /v1/models} publishes, what help texts list; the strategy's parameters
 * record then checks the values against its rules.
 *
 * @param name the wire name, e.g. {@code block_length}
 * @param type the JSON type it takes
 * @param description what it does, one sentence
 * @param defaultValue the value taken when absent ({@link Integer}, {@link Double}, {@link Boolean}
 *     or {@link String} by type); empty where absence has a meaning of its own (the only model of
 *     the kind, no soft choice) or the field is required
 * @param min smallest accepted value of a number or integer (inclusive unless {@code minExclusive})
 * @param minExclusive whether {@code min} itself is refused
 * @param max largest accepted value of a number or integer (inclusive)
 * @param choices the accepted strings of a {@link Type#CHOICE}
 * @param modelKinds the kinds of model a {@link Type#MODEL} or {@link Type#MODEL_WEIGHTS} may name, in
 *     the order of preference {@link AlignmentModels#kind} resolves them in; empty for other types
 * @param required whether a request must give it
 * @param modelNeeded for a model field, whether the strategy cannot run without a model of its kind
 *     (false where the field matters only for some settings, e.g. a scorer used by one mode)
 */
public record ParamField(
        String name,
        Type type,
        String description,
        Optional<Object> defaultValue,
        double min,
        boolean minExclusive,
        double max,
        List<String> choices,
        List<ModelKind> modelKinds,
        boolean required,
        boolean modelNeeded) {

    /** The JSON types a parameter may take. */
    public enum Type {
        /** A JSON integer. */
        INTEGER,
        /** A finite JSON number. */
        NUMBER,
        /** true or false. */
        BOOLEAN,
        /** One of a few strings. */
        CHOICE,
        /** The name of a served model of one of {@link #modelKinds()}. */
        MODEL,
        /** An object of model name (of {@link #modelKinds()}) to a finite number. */
        MODEL_WEIGHTS
    }

    public ParamField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        modelKinds = List.copyOf(modelKinds);
        if (modelKinds.isEmpty() != (type != Type.MODEL && type != Type.MODEL_WEIGHTS)) {
            throw new IllegalArgumentException("field " + name + " of type " + type + " cannot take model kinds "
                    + modelKinds + ": model fields take at least one, other fields none");
        }
    }

    /** An integer in [min, max], {@code fallback} when absent. */
    public static ParamField integer(String name, String description, int fallback, int min, int max) {
        return new ParamField(
                name,
                Type.INTEGER,
                description,
                Optional.of(fallback),
                min,
                false,
                max,
                List.of(),
                List.of(),
                false,
                false);
    }

    /** A finite number in [min, max], {@code fallback} when absent. */
    public static ParamField number(String name, String description, double fallback, double min, double max) {
        return new ParamField(
                name,
                Type.NUMBER,
                description,
                Optional.of(fallback),
                min,
                false,
                max,
                List.of(),
                List.of(),
                false,
                false);
    }

    /** A finite number above {@code min} with no default: absence means the feature is off. */
    public static ParamField optionalNumberAbove(String name, String description, double min) {
        return new ParamField(
                name,
                Type.NUMBER,
                description,
                Optional.empty(),
                min,
                true,
                Double.POSITIVE_INFINITY,
                List.of(),
                List.of(),
                false,
                false);
    }

    /** true or false, false when absent. */
    public static ParamField flag(String name, String description) {
        return new ParamField(
                name, Type.BOOLEAN, description, Optional.of(false), 0, false, 1, List.of(), List.of(), false, false);
    }

    /** One of {@code choices}, {@code fallback} when absent. */
    public static ParamField choice(String name, String description, String fallback, List<String> choices) {
        if (!choices.contains(fallback)) {
            throw new IllegalArgumentException("default '" + fallback + "' of " + name + " is not among " + choices);
        }
        return new ParamField(
                name, Type.CHOICE, description, Optional.of(fallback), 0, false, 0, choices, List.of(), false, false);
    }

    /**
     * The name of a model of one of {@code kinds}, in order of preference; when absent, the base's
     * only model of the first of them it serves any of (see {@link AlignmentModels#kind}).
     */
    public static ParamField model(String name, String description, ModelKind... kinds) {
        return new ParamField(
                name, Type.MODEL, description, Optional.empty(), 0, false, 0, List.of(), List.of(kinds), false, true);
    }

    /**
     * As {@link #model}, for a model only some settings use: the strategy is served without any
     * model of {@code kind}, and asks for one only when a request's settings need it.
     */
    public static ParamField optionalModel(String name, String description, ModelKind kind) {
        return new ParamField(
                name, Type.MODEL, description, Optional.empty(), 0, false, 0, List.of(), List.of(kind), false, false);
    }

    /** A required object of model names of {@code kind} to weights, 1 to {@code maxEntries} of them. */
    public static ParamField modelWeights(String name, String description, ModelKind kind, int maxEntries) {
        return new ParamField(
                name,
                Type.MODEL_WEIGHTS,
                description,
                Optional.empty(),
                1,
                false,
                maxEntries,
                List.of(),
                List.of(kind),
                true,
                true);
    }

    /** The wire path, {@code alignment.<name>}. */
    public String path() {
        return ParamChecks.PREFIX + name;
    }
}
