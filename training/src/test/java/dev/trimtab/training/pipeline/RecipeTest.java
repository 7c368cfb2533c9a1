package dev.trimtab.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trimtab.decoding.onnx.WeightPrecision;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecipeTest {
    private static final Path RECIPES = Path.of("..", "configs", "recipes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Recipe parse(String yaml) throws Exception {
        return Recipe.parse(YAML.readTree(yaml), Path.of("test.yaml"), "hash");
    }

    @Test
    @DisplayName("the demo and micro recipes are valid and make the bundle's models")
    void shippedRecipes() throws Exception {
        for (String name : new String[] {"demo.yaml", "micro.yaml"}) {
            Recipe recipe = Recipe.read(RECIPES.resolve(name));
            assertThat(recipe.runs())
                    .extracting(RunSection::name)
                    .contains(
                            "base",
                            "dpo",
                            "arm-positive",
                            "arm-concise",
                            "arm-positive-small",
                            "rm-positive",
                            "rm-concise",
                            "prefix-positive");
            assertThat(recipe.run("rm-positive").withPast()).isEqualTo("rm-positive-incremental");
            assertThat(recipe.architectureOf(recipe.run("arm-positive-small")).hidden())
                    .isLessThan(
                            recipe.architectureOf(recipe.run("arm-positive")).hidden());
        }
    }

    @Test
    @DisplayName("every error of a recipe is reported at once, each with its path")
    void reportsEveryError() {
        String yaml = """
                name: broken
                tokenizer: {vocab_size: 100}
                architectures:
                  base: {family: gpt3, layers: 1, hidden: 30, heads: 4}
                defaults: {learning_rate: -1, batch_sise: 8}
                sampling: {policy: missing}
                runs:
                  - {name: base, objective: sft, architecture: base, steps: 10}
                  - {name: dpo, objective: dpo, init: bse, reward: kindness, beta: 0, steps: 0}
                  - {name: Bad_Name, objective: magic, architecture: base, init: base, steps: 5}
                """;
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.vocab_size must be an integer in [257, 1048576], got 100")
                .hasMessageContaining("architectures.base.family must be gpt2 or llama, got gpt3")
                .hasMessageContaining("architectures.base: invalid decoder spec: heads must divide hidden (30)")
                .hasMessageContaining("defaults.learning_rate must be a number in (0.0, 1.0], got -1")
                .hasMessageContaining("defaults.batch_sise is not a known key")
                .hasMessageContaining("runs[1].reward must be one of positivity, conciseness, got kindness")
                .hasMessageContaining("runs[1].beta must be a number in (0.0, 1000.0], got 0")
                .hasMessageContaining("runs[1].steps must be an integer in [1, 10000000], got 0")
                .hasMessageContaining("runs[1] (dpo).init bse is not an earlier run; earlier runs: [base]")
                .hasMessageContaining("runs[2].name must match [a-z0-9][a-z0-9-]*")
                .hasMessageContaining("runs[2].objective must be one of sft, dpo, arm, reward_model, prefix_value")
                .hasMessageContaining("needs exactly one of architecture (fresh weights) and init")
                .hasMessageContaining("sampling.policy must name an exported sft run");
    }

    @Test
    @DisplayName("quantized exports name a precision each, under names used once, on exported decoders with past")
    void quantizedExports() throws Exception {
        Recipe recipe = parse("""
                name: q
                architectures: {a: {layers: 1, hidden: 16, heads: 2}}
                runs:
                  - {name: one, objective: sft, architecture: a, steps: 3, also_export_quantized: {one-int4: int4, one-half: fp16}}
                """);
        assertThat(recipe.run("one").quantized())
                .containsEntry("one-int4", WeightPrecision.of(WeightPrecision.Format.INT4))
                .containsEntry("one-half", WeightPrecision.of(WeightPrecision.Format.FP16));
        assertThatThrownBy(() -> parse("""
                        name: q
                        architectures: {a: {layers: 1, hidden: 16, heads: 2}}
                        runs:
                          - {name: one, objective: sft, architecture: a, steps: 3, also_export_quantized: {one: int8, Two: int3}}
                          - {name: two, objective: sft, architecture: a, steps: 3, export: false, also_export_quantized: [int4]}
                        """))
                .hasMessageContaining("runs[0].also_export_quantized.Two must be fp16, int8 or int4, got \"int3\"")
                .hasMessageContaining("runs[0].also_export_quantized: the name must match [a-z0-9][a-z0-9-]*, got Two")
                .hasMessageContaining("runs[1].also_export_quantized must map model names to precisions")
                .hasMessageContaining("runs[0] (one).also_export_quantized: the name one is used twice");
    }

    @Test
    @DisplayName("a run inherits the defaults and overrides them key by key")
    void defaultsAndOverrides() throws Exception {
        Recipe recipe = parse("""
                name: small
                architectures: {a: {layers: 1, hidden: 16, heads: 2}}
                defaults: {batch_size: 4, learning_rate: 0.01}
                runs:
                  - {name: one, objective: sft, architecture: a, steps: 3, learning_rate: 0.5}
                """);
        TrainingSection training = recipe.run("one").training();
        assertThat(training.batchSize()).isEqualTo(4);
        assertThat(training.learningRate()).isEqualTo(0.5);
        assertThat(training.warmupSteps()).isEqualTo(TrainingSection.DEFAULTS.warmupSteps());
        assertThat(training.settings(3, 1).schedule().warmup()).isEqualTo(2);
    }
}
