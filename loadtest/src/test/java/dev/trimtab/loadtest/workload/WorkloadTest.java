package dev.trimtab.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("A request is a streaming completions body with usage, the strategy's alignment and extra fields")
    void body() throws Exception {
        Workload workload = new Workload(
                new GeneratedPrompts(LengthDistribution.fixed(5)),
                LengthDistribution.fixed(16),
                StrategyMix.parse("best_of_n:1", Map.of("best_of_n", "{\"n\":8}")),
                (ObjectNode) JSON.readTree("{\"temperature\": 0.7}"));
        RequestSpec spec = workload.request("tiny", 3, new SplittableRandom(1));
        assertThat(spec.index()).isEqualTo(3);
        assertThat(spec.strategy()).isEqualTo("best_of_n");
        assertThat(spec.maxTokens()).isEqualTo(16);
        assertThat(spec.prompt().split(" ")).hasSize(5);
        assertThat(spec.body().toString())
                .isEqualTo("{\"temperature\":0.7,\"model\":\"tiny\",\"prompt\":\""
                        + spec.prompt()
                        + "\",\"max_tokens\":16,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"alignment\":{\"strategy\":\"best_of_n\",\"n\":8}}");
    }

    @Test
    @DisplayName("Without a mix no alignment field is sent, so any OpenAI server accepts the request")
    void plainRequest() {
        RequestSpec spec = Workload.defaults().request("m", 0, new SplittableRandom(1));
        assertThat(spec.body().has("alignment")).isFalse();
        assertThat(spec.strategy()).isEqualTo("default");
    }

    @Test
    @DisplayName("A prompt's own max_tokens wins over the distribution")
    void promptMaxTokens() {
        Workload workload = Workload.defaults()
                .withPrompts(new JsonlPrompts(
                        java.nio.file.Path.of("p.jsonl"),
                        java.util.List.of(new Prompt("hi", java.util.OptionalInt.of(3)))));
        assertThat(workload.request("m", 0, new SplittableRandom(1)).maxTokens())
                .isEqualTo(3);
    }

    @Test
    @DisplayName("The same seed replays the same requests")
    void replay() {
        Workload workload = Workload.defaults()
                .withMaxTokens(LengthDistribution.parse("x", "uniform:1:500"))
                .withMix(StrategyMix.parse("none:1,cd:1,dera:1", Map.of()));
        assertThat(draw(workload, 9)).isEqualTo(draw(workload, 9)).isNotEqualTo(draw(workload, 10));
    }

    private static java.util.List<String> draw(Workload workload, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return LongStream.range(0, 20)
                .mapToObj(i -> workload.request("m", i, random.split()).body().toString())
                .toList();
    }

    @Test
    @DisplayName("Extra body fields may not override the fields the load tester sets")
    void reservedFields() throws Exception {
        ObjectNode extra = (ObjectNode) JSON.readTree("{\"stream\": false}");
        assertThatThrownBy(() -> Workload.defaults().withExtraBody(extra))
                .hasMessage("extra body must not set \"stream\" (the load tester sets it; use its own option), got "
                        + "{\"stream\":false}");
    }
}
