package dev.trimtab.decoding.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.args.ArgsParams;
import dev.trimtab.decoding.strategy.bestofn.BestOfNParams;
import dev.trimtab.decoding.strategy.cd.ControlledDecodingParams;
import dev.trimtab.decoding.strategy.dera.DeraParams;
import dev.trimtab.decoding.strategy.genarm.GenArmParams;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import dev.trimtab.decoding.strategy.specrej.SpeculativeRejectionParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every strategy the engine serves, by wire name: the one list that request parsers, {@code
 * /v1/models}, help texts and benchmarks iterate. Adding a strategy is one package under {@code
 * strategy} and one line in {@link #standard()}.
 */
public final class StrategyRegistry {
    private static final StrategyRegistry STANDARD = new StrategyRegistry(List.of(
            PlainSampling.DESCRIPTOR,
            BestOfNParams.DESCRIPTOR,
            ArgsParams.DESCRIPTOR,
            ControlledDecodingParams.DESCRIPTOR,
            DeraParams.DESCRIPTOR,
            GenArmParams.DESCRIPTOR,
            SpeculativeRejectionParams.DESCRIPTOR));

    private final Map<String, StrategyDescriptor> byName = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException if two descriptors share a wire name
     */
    public StrategyRegistry(List<StrategyDescriptor> descriptors) {
        for (StrategyDescriptor descriptor : descriptors) {
            if (byName.put(descriptor.name(), descriptor) != null) {
                throw new IllegalArgumentException("two strategies are named '" + descriptor.name() + "'");
            }
        }
    }

    /** The strategies this project ships. */
    public static StrategyRegistry standard() {
        return STANDARD;
    }

    /** Every descriptor, in registration order. */
    public List<StrategyDescriptor> descriptors() {
        return List.copyOf(byName.values());
    }

    /** Every wire name, in registration order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public Optional<StrategyDescriptor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The strategy named {@code name}.
     *
     * @param field the request field that names it, for the error
     * @throws InvalidRequestException naming {@code field} when no strategy has that name
     */
    public StrategyDescriptor get(String field, String name) {
        return find(name)
                .orElseThrow(() -> InvalidRequestException.invalid(
                        field, field + " must be one of " + names() + ", got \"" + name + "\""));
    }

    /** The strategies {@code models} can serve: every kind of model their fields name is there. */
    public List<StrategyDescriptor> servable(AlignmentModels models) {
        return byName.values().stream()
                .filter(descriptor -> descriptor.servableWith(models))
                .toList();
    }

    /**
     * A request's {@code alignment} object as a validated strategy: {@code {"strategy": "dera",
     * "lambda": 0.7}}. Absent parameters take the strategy's defaults; an unknown strategy or
     * parameter, a wrong type or a value out of range is an exception naming {@code
     * alignment.<field>}.
     */
    public AlignmentStrategy parse(JsonNode alignment) {
        return AlignmentJson.read(this, alignment);
    }
}
