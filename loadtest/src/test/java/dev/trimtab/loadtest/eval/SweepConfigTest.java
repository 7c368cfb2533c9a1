package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepConfigTest {
    @TempDir
    Path directory;

    private SweepConfig load(String yaml) throws Exception {
        return SweepConfig.load(Files.writeString(directory.resolve("sweep.yaml"), yaml));
    }

    @Test
    @DisplayName("lines expand into points: one per value, a grid into every combination, strengths in the alignment")
    void expandsPoints() throws Exception {
        SweepConfig config = load("""
                model: demo
                prompts: prompts.jsonl
                samples: 3
                lines:
                  - {name: none, strategy: none}
                  - {name: dera, strategy: dera, params: {aligned: dpo}, vary: {lambda: [0.5, 2]}}
                  - {name: front, strategy: genarm, vary: {weights.positive: [1, 2], weights.concise: [0.5]}}
                """);
        assertThat(config.prompts()).isEqualTo(directory.resolve("prompts.jsonl"));
        assertThat(config.samples()).isEqualTo(3);
        assertThat(config.promptCount()).isEqualTo(40);
        List<SweepPoint> points = config.points();
        assertThat(points)
                .extracting(SweepPoint::label)
                .containsExactly(
                        "none",
                        "dera lambda=0.5",
                        "dera lambda=2",
                        "front concise=0.5 positive=1",
                        "front concise=0.5 positive=2");
        assertThat(points.get(2).alignment().toString())
                .isEqualTo("{\"strategy\":\"dera\",\"aligned\":\"dpo\",\"lambda\":2}");
        assertThat(points.get(4).alignment().toString())
                .isEqualTo("{\"strategy\":\"genarm\",\"weights\":{\"positive\":2.0,\"concise\":0.5}}");
        assertThat(config.lines().get(2).grid()).isTrue();
    }

    @Test
    @DisplayName("every broken rule is reported at once, each with its place in the file")
    void reportsEveryError() {
        assertThatThrownBy(() -> load("""
                        prompts: p.jsonl
                        samples: many
                        colour: red
                        lines:
                          - {name: dera, strategy: dera, vary: {lambda: []}}
                          - {strategy: "", vary: {k: [1, x]}}
                          - {name: dera, strategy: genarm, size: 3}
                        """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sweep.yaml")
                .hasMessageContaining("model must be a non-empty string")
                .hasMessageContaining("samples must be an integer, got \"many\"")
                .hasMessageContaining("colour is not a sweep field")
                .hasMessageContaining("lines[0].vary.lambda must be a non-empty list of finite numbers")
                .hasMessageContaining("lines[1].strategy must be a strategy's wire name")
                .hasMessageContaining("lines[1].vary.k must be a non-empty list of finite numbers")
                .hasMessageContaining("lines[2].size is not a line field");
    }

    @Test
    @DisplayName("a sweep without a none line is refused: none is the reference for KL and cost")
    void needsNone() {
        assertThatThrownBy(() -> load("""
                        model: demo
                        prompts: p.jsonl
                        lines: [{strategy: dera}]
                        """)).hasMessageContaining("lines must hold a line with strategy none");
    }

    @Test
    @DisplayName("the demo sweep in configs/eval loads")
    void demoSweepLoads() {
        SweepConfig config = SweepConfig.load(Path.of("../configs/eval/demo.yaml"));
        assertThat(config.model()).isEqualTo("demo");
        assertThat(config.points()).hasSizeGreaterThan(20);
        assertThat(config.points())
                .extracting(SweepPoint::strategy)
                .contains("none", "dera", "genarm", "best_of_n", "args", "cd", "speculative_rejection");
    }
}
