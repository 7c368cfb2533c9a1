package dev.trimtab.decoding.strategy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The parameters one request gave a strategy, typed by its {@link StrategyDescriptor}'s fields,
 * with each field's default where the request gave none. What a descriptor builds its parameters
 * record from; the record checks the values' ranges.
 */
public final class ParamValues {
    private final StrategyDescriptor descriptor;
    private final Map<String, Object> given;

    private ParamValues(StrategyDescriptor descriptor, Map<String, Object> given) {
        this.descriptor = descriptor;
        this.given = given;
    }

    /** No value given: every field takes its default. */
    public static ParamValues none(StrategyDescriptor descriptor) {
        return new ParamValues(descriptor, Map.of());
    }

    /** A builder of values for {@code descriptor}'s fields. */
    public static Builder builder(StrategyDescriptor descriptor) {
        return new Builder(descriptor);
    }

    public int integer(String name) {
        return (Integer) value(name, ParamField.Type.INTEGER).orElseThrow();
    }

    public double number(String name) {
        return (Double) value(name, ParamField.Type.NUMBER).orElseThrow();
    }

    /** A number without a default: empty when the request gave none. */
    public OptionalDouble optionalNumber(String name) {
        Optional<Object> value = value(name, ParamField.Type.NUMBER);
        return value.isPresent() ? OptionalDouble.of((Double) value.get()) : OptionalDouble.empty();
    }

    public boolean flag(String name) {
        return (Boolean) value(name, ParamField.Type.BOOLEAN).orElseThrow();
    }

    public String choice(String name) {
        return (String) value(name, ParamField.Type.CHOICE).orElseThrow();
    }

    /** The model named; empty for the base's only model of the field's kind. */
    public Optional<String> model(String name) {
        return value(name, ParamField.Type.MODEL).map(String.class::cast);
    }

    /** Model name to weight, in the request's order; empty when the request gave none. */
    @SuppressWarnings("unchecked")
    public Map<String, Double> weights(String name) {
        return value(name, ParamField.Type.MODEL_WEIGHTS)
                .map(value -> (Map<String, Double>) value)
                .orElse(Map.of());
    }

    private Optional<Object> value(String name, ParamField.Type type) {
        ParamField field = declared(descriptor, name, type);
        return given.containsKey(name) ? Optional.of(given.get(name)) : field.defaultValue();
    }

    /** The field {@code name} of {@code descriptor}, which must be of {@code type}: a strategy's own mistake otherwise. */
    private static ParamField declared(StrategyDescriptor descriptor, String name, ParamField.Type type) {
        ParamField field = descriptor
                .field(name)
                .orElseThrow(() -> new IllegalStateException(
                        "strategy " + descriptor.name() + " declares no parameter '" + name + "'"));
        if (field.type() != type) {
            throw new IllegalStateException(
                    "parameter " + name + " of " + descriptor.name() + " is a " + field.type() + ", not a " + type);
        }
        return field;
    }

    /** Collects the values of one request, each checked against its field's type. */
    public static final class Builder {
        private final StrategyDescriptor descriptor;
        private final Map<String, Object> given = new LinkedHashMap<>();

        private Builder(StrategyDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        public Builder integer(String name, int value) {
            return put(name, ParamField.Type.INTEGER, value);
        }

        public Builder number(String name, double value) {
            return put(name, ParamField.Type.NUMBER, value);
        }

        public Builder flag(String name, boolean value) {
            return put(name, ParamField.Type.BOOLEAN, value);
        }

        public Builder choice(String name, String value) {
            return put(name, ParamField.Type.CHOICE, value);
        }

        public Builder model(String name, String value) {
            return put(name, ParamField.Type.MODEL, value);
        }

        public Builder weights(String name, Map<String, Double> value) {
            return put(name, ParamField.Type.MODEL_WEIGHTS, new LinkedHashMap<>(value));
        }

        private Builder put(String name, ParamField.Type type, Object value) {
            declared(descriptor, name, type);
            given.put(name, value);
            return this;
        }

        public ParamValues build() {
            return new ParamValues(descriptor, Map.copyOf(given));
        }
    }
}
