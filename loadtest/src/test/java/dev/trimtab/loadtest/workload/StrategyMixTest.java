package dev.trimtab.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategyMixTest {

    @Test
    @DisplayName("Each strategy's alignment object carries its name and its parameters")
    void alignmentObjects() {
        StrategyMix mix = StrategyMix.parse("none:50,genarm:30,best_of_n:20", Map.of("best_of_n", "{\"n\": 8}"));
        assertThat(mix.entries()).extracting(StrategyMix.Entry::name).containsExactly("none", "genarm", "best_of_n");
        assertThat(mix.entries().get(2).alignment().orElseThrow().toString())
                .isEqualTo("{\"strategy\":\"best_of_n\",\"n\":8}");
        assertThat(mix.entries().get(0).alignment().orElseThrow().toString()).isEqualTo("{\"strategy\":\"none\"}");
        assertThat(mix.describe()).isEqualTo("none:50, genarm:30, best_of_n:20 {\"n\":8}");
    }

    @Test
    @DisplayName("Strategies are drawn in proportion to their weights")
    void proportions() {
        StrategyMix mix = StrategyMix.parse("none:50,genarm:30,best_of_n:20", Map.of());
        SplittableRandom random = new SplittableRandom(3);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            counts.merge(mix.pick(random).name(), 1, Integer::sum);
        }
        assertThat(counts.get("none") / 20_000.0).isBetween(0.49, 0.51);
        assertThat(counts.get("genarm") / 20_000.0).isBetween(0.29, 0.31);
        assertThat(counts.get("best_of_n") / 20_000.0).isBetween(0.19, 0.21);
    }

    @Test
    @DisplayName("The server-default mix sends no alignment field")
    void serverDefault() {
        StrategyMix.Entry entry = StrategyMix.serverDefault().pick(new SplittableRandom(1));
        assertThat(entry.name()).isEqualTo(StrategyMix.SERVER_DEFAULT);
        assertThat(entry.alignment()).isEmpty();
    }

    @Test
    @DisplayName("Callers cannot change a mix through the alignment objects it hands out")
    void immutable() {
        StrategyMix mix = StrategyMix.parse("cd:1", Map.of("cd", "{\"alpha\": 1}"));
        mix.entries().getFirst().alignment().orElseThrow().put("alpha", 99);
        assertThat(mix.entries()
                        .getFirst()
                        .alignment()
                        .orElseThrow()
                        .get("alpha")
                        .asInt())
                .isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "Best-Of-N:1; ; strategy names are wire names like best_of_n (lowercase letters, digits and underscores), got 'Best-Of-N'",
                "none; ; each mix entry must be STRATEGY:WEIGHT (e.g. none:50,genarm:30), got 'none'",
                "none:0; ; weight of strategy none must be a number > 0, got '0'",
                "none:x; ; weight of strategy none must be a number > 0, got 'x'",
                "none:1,none:2; ; strategy none appears twice",
                "none:1; cd={}; parameters given for strategy 'cd', which is not in the mix [none]",
                "cd:1; cd=[1]; parameters of strategy cd must be a JSON object like {\"n\": 8}, got '[1]'",
                "cd:1; cd={oops; parameters of strategy cd must be a JSON object",
                "cd:1; cd={\"strategy\": \"x\"}; parameters of strategy cd must not set \"strategy\""
            })
    @DisplayName("A bad mix or bad parameters fail with the entry and the rule")
    void badMixes(String mix, String params, String message) {
        Map<String, String> parameters = new HashMap<>();
        if (params != null) {
            String[] pair = params.split("=", 2);
            parameters.put(pair[0], pair[1]);
        }
        assertThatThrownBy(() -> StrategyMix.parse(mix, parameters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
