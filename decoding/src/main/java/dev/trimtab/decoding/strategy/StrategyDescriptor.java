package dev.trimtab.decoding.strategy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a strategy package exports: its wire name, its parameters as requests spell them, and how to
 * build its validated parameters record from a request's values. Parsers, {@code /v1/models}, help
 * texts and benchmarks iterate the descriptors rather than naming strategies themselves.
 *
 * @param name the wire name, {@code alignment.strategy}
 * @param summary one line on what it does, with its paper
 * @param fields its parameters, in the order documentation lists them
 * @param factory builds the parameters record; throws {@link dev.trimtab.decoding.InvalidRequestException}
 *     naming the field when a value breaks its rule
 */
public record StrategyDescriptor(
        String name, String summary, List<ParamField> fields, Function<ParamValues, AlignmentStrategy> factory) {

    public StrategyDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        fields = List.copyOf(fields);
        Set<String> names = new HashSet<>();
        for (ParamField field : fields) {
            if (field.name().equals("strategy") || !names.add(field.name())) {
                throw new IllegalArgumentException("strategy " + name + " declares parameter '" + field.name()
                        + "' twice or under the reserved name 'strategy'");
            }
        }
    }

    public Optional<ParamField> field(String fieldName) {
        return fields.stream().filter(field -> field.name().equals(fieldName)).findFirst();
    }

    /** The names of its parameters, in declaration order. */
    public List<String> fieldNames() {
        return fields.stream().map(ParamField::name).toList();
    }

    /** The parameters record for {@code values}; a value out of its rule is an exception naming the field. */
    public AlignmentStrategy create(ParamValues values) {
        return factory.apply(values);
    }

    /**
     * Whether {@code models} serve, for every model field it cannot run without, a model of at least
     * one of the kinds the field accepts.
     */
    public boolean servableWith(AlignmentModels models) {
        return fields.stream().filter(ParamField::modelNeeded).noneMatch(field -> models.names(field.modelKinds())
                .isEmpty());
    }
}
