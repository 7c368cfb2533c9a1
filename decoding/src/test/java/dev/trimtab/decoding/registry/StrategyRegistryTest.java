package dev.trimtab.decoding.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.args.ArgsParams;
import dev.trimtab.decoding.strategy.bestofn.BestOfNParams;
import dev.trimtab.decoding.strategy.cd.ControlledDecodingParams;
import dev.trimtab.decoding.strategy.dera.DeraParams;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import dev.trimtab.decoding.strategy.specrej.SpeculativeRejectionParams;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StrategyRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StrategyRegistry REGISTRY = StrategyRegistry.standard();

    static Stream<StrategyDescriptor> descriptors() {
        return REGISTRY.descriptors().stream();
    }

    static Stream<ParamField> fields() {
        return REGISTRY.descriptors().stream().flatMap(descriptor -> descriptor.fields().stream());
    }

    @Test
    @DisplayName("the registry serves the seven strategies under their wire names, none first")
    void names() {
        assertThat(REGISTRY.names())
                .containsExactly("none", "best_of_n", "args", "cd", "dera", "genarm", "speculative_rejection");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptors")
    @DisplayName("every parameter a request gives is carried into the strategy's record, each one alone")
    void everyFieldCarried(StrategyDescriptor descriptor) throws Exception {
        for (ParamField field : descriptor.fields()) {
            ObjectNode alignment = required(descriptor);
            Object given = nonDefault(field);
            alignment.set(field.name(), JSON.valueToTree(given));
            AlignmentStrategy strategy = REGISTRY.parse(alignment);
            assertThat(strategy.name()).isEqualTo(descriptor.name());
            assertThat(unwrap(component(strategy, field.name())))
                    .as("%s.%s", descriptor.name(), field.name())
                    .isEqualTo(given);
        }
    }

    @Test
    @DisplayName("absent parameters take the defaults the records declare")
    void defaults() {
        assertThat(parse("{\"strategy\": \"none\"}")).isEqualTo(PlainSampling.INSTANCE);
        assertThat(parse("{}")).isEqualTo(PlainSampling.INSTANCE);
        assertThat(parse("{\"strategy\": \"best_of_n\"}")).isEqualTo(BestOfNParams.of(4));
        assertThat(parse("{\"strategy\": \"args\"}")).isEqualTo(ArgsParams.defaults());
        assertThat(parse("{\"strategy\": \"cd\"}")).isEqualTo(ControlledDecodingParams.defaults());
        assertThat(parse("{\"strategy\": \"dera\"}")).isEqualTo(DeraParams.of(1.0));
        assertThat(parse("{\"strategy\": \"speculative_rejection\"}")).isEqualTo(SpeculativeRejectionParams.of(16));
    }

    @Test
    @DisplayName("every documented default in the README's strategy table is the one the registry declares")
    void readmeDefaults() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int checked = 0;
        for (StrategyDescriptor descriptor : REGISTRY.descriptors()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + descriptor.name() + "` \\|(.*)$")
                    .matcher(readme);
            assertThat(row.find()).as("README row of %s", descriptor.name()).isTrue();
            for (ParamField field : descriptor.fields()) {
                if (field.defaultValue().isEmpty() || field.type() == ParamField.Type.BOOLEAN) {
                    continue;
                }
                Object value = field.defaultValue().get();
                String documented = field.type() == ParamField.Type.CHOICE
                        ? "(`" + field.name() + "` `" + value + "`"
                        : "`" + field.name() + "` (" + value;
                assertThat(row.group(1))
                        .as("%s.%s", descriptor.name(), field.name())
                        .contains(documented);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(14);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    @DisplayName("an integer parameter accepts its declared bounds and refuses one past them, naming the field")
    void integerBounds(ParamField field) throws ReflectiveOperationException {
        if (field.type() != ParamField.Type.INTEGER) {
            return;
        }
        StrategyDescriptor descriptor = owner(field);
        for (int accepted : new int[] {(int) field.min(), (int) field.max()}) {
            ObjectNode alignment = required(descriptor).put(field.name(), accepted);
            assertThat(unwrap(component(REGISTRY.parse(alignment), field.name())))
                    .isEqualTo(accepted);
        }
        for (int refused : new int[] {(int) field.min() - 1, (int) field.max() + 1}) {
            ObjectNode alignment = required(descriptor).put(field.name(), refused);
            assertThatThrownBy(() -> REGISTRY.parse(alignment))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.code()).isEqualTo(InvalidRequestException.Code.INVALID_VALUE);
                        assertThat(e.field()).contains(field.path());
                    });
        }
    }

    @Test
    @DisplayName("unknown strategies and parameters, wrong types and bad choices are errors naming the field")
    void errors() {
        assertRefused(
                "{\"strategy\": \"magic\"}",
                "alignment.strategy",
                "alignment.strategy must be one of [none, best_of_n, args, cd, dera, genarm, speculative_rejection], got"
                        + " \"magic\"");
        assertRefused("{\"strategy\": 3}", "alignment.strategy", "alignment.strategy must be a string, got 3");
        assertRefused(
                "{\"strategy\": \"dera\", \"beta\": 1}",
                "alignment.beta",
                "alignment.beta is not a parameter of strategy dera (its parameters: aligned, lambda)");
        assertRefused(
                "{\"strategy\": \"dera\", \"lambda\": \"big\"}",
                "alignment.lambda",
                "alignment.lambda must be a finite number, got \"big\"");
        assertRefused(
                "{\"strategy\": \"best_of_n\", \"n\": 1.5}", "alignment.n", "alignment.n must be an integer, got 1.5");
        assertRefused(
                "{\"strategy\": \"args\", \"mode\": \"eager\"}",
                "alignment.mode",
                "alignment.mode must be one of [greedy, stochastic], got \"eager\"");
        assertRefused(
                "{\"strategy\": \"best_of_n\", \"return_all\": 1}",
                "alignment.return_all",
                "alignment.return_all must be true or false, got 1");
        assertRefused(
                "{\"strategy\": \"genarm\"}",
                "alignment.weights",
                "alignment.weights is required: α per autoregressive reward model, by name; each finite");
        assertRefused(
                "{\"strategy\": \"genarm\", \"weights\": {\"a\": \"x\"}}",
                "alignment.weights.a",
                "alignment.weights.a must be a number, got \"x\"");
        assertRefused(
                "{\"strategy\": \"best_of_n\", \"tau\": 0}",
                "alignment.tau",
                "alignment.tau must be a finite number > 0, got 0.0");
        assertRefused(
                "{\"strategy\": \"none\", \"n\": 2}",
                "alignment.n",
                "alignment.n is not a parameter of strategy none (its parameters: none)");
    }

    private static void assertRefused(String alignment, String field, String message) {
        assertThatThrownBy(() -> parse(alignment))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field())
                        .contains(field))
                .hasMessage(message);
    }

    private static AlignmentStrategy parse(String alignment) {
        try {
            return REGISTRY.parse(JSON.readTree(alignment));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static StrategyDescriptor owner(ParamField field) {
        return REGISTRY.descriptors().stream()
                .filter(descriptor -> descriptor.fields().contains(field))
                .findFirst()
                .orElseThrow();
    }

    /** The strategy's name and a value for every required field. */
    private static ObjectNode required(StrategyDescriptor descriptor) {
        ObjectNode alignment = JSON.createObjectNode().put("strategy", descriptor.name());
        for (ParamField field : descriptor.fields()) {
            if (field.required()) {
                alignment.set(field.name(), JSON.valueToTree(nonDefault(field)));
            }
        }
        return alignment;
    }

    /** A valid value that differs from the field's default. */
    private static Object nonDefault(ParamField field) {
        Optional<Object> fallback = field.defaultValue();
        return switch (field.type()) {
            case INTEGER ->
                fallback.equals(Optional.of((int) field.min() + 1)) ? (int) field.min() + 2 : (int) field.min() + 1;
            case NUMBER -> fallback.map(value -> (Double) value + 0.25).orElse(field.min() + 0.75);
            case BOOLEAN -> !(Boolean) fallback.orElse(false);
            case CHOICE ->
                field.choices().stream()
                        .filter(c -> !fallback.equals(Optional.of(c)))
                        .findFirst()
                        .orElseThrow();
            case MODEL -> "model-" + field.name();
            case MODEL_WEIGHTS -> Map.of("first", 0.5);
        };
    }

    /** The record component that holds {@code wireName} (block_length -> blockLength). */
    private static Object component(AlignmentStrategy strategy, String wireName) throws ReflectiveOperationException {
        String camel = Pattern.compile("_([a-z])").matcher(wireName).replaceAll(m -> m.group(1)
                .toUpperCase(Locale.ROOT));
        List<String> candidates = List.of(camel, wireName.equals("reward_model") ? "rewardModel" : camel);
        for (RecordComponent component : strategy.getClass().getRecordComponents()) {
            if (candidates.contains(component.getName())) {
                return component.getAccessor().invoke(strategy);
            }
        }
        throw new AssertionError(strategy.getClass().getSimpleName() + " has no component for " + wireName);
    }

    /** Optional and enum values as the wire spells them. */
    private static Object unwrap(Object value) {
        if (value instanceof Optional<?> optional) return optional.orElse(null);
        if (value instanceof OptionalDouble optional) return optional.isPresent() ? optional.getAsDouble() : null;
        if (value instanceof Enum<?> constant) return constant.name().toLowerCase(Locale.ROOT);
        return value;
    }
}
