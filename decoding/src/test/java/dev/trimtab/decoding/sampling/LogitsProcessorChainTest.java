package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogitsProcessorChainTest {

    private static List<Class<?>> types(LogitsProcessorChain chain) {
        return chain.processors().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    @DisplayName("builds Hugging Face's order: penalty, temperature, top-k, top-p, min-p")
    void huggingFaceOrder() {
        SamplingParams all = SamplingParams.defaults()
                .withRepetitionPenalty(1.2)
                .withTemperature(0.7)
                .withTopK(40)
                .withTopP(0.9)
                .withMinP(0.05);

        assertThat(types(LogitsProcessorChain.forParams(all)))
                .containsExactly(RepetitionPenalty.class, Temperature.class, TopK.class, TopP.class, MinP.class);
    }

    @Test
    @DisplayName("leaves out disabled processors, and under greedy decoding everything but the penalty")
    void skipsDisabled() {
        SamplingParams defaults = SamplingParams.defaults();

        assertThat(LogitsProcessorChain.forParams(defaults).processors()).isEmpty();
        assertThat(types(LogitsProcessorChain.forParams(defaults.withTopP(0.5))))
                .containsExactly(TopP.class);
        assertThat(types(LogitsProcessorChain.forParams(defaults.withTemperature(0)
                        .withRepetitionPenalty(1.1)
                        .withTopK(5)
                        .withMinP(0.1))))
                .containsExactly(RepetitionPenalty.class);
    }

    @Test
    @DisplayName("prepend and append return new chains and run processors in order")
    void prependAndAppend() {
        List<String> calls = new ArrayList<>();
        LogitsProcessorChain middle = LogitsProcessorChain.of((l, h) -> calls.add("middle"));

        LogitsProcessorChain chain =
                middle.prepend((l, h) -> calls.add("first")).append((l, h) -> calls.add("last"));
        chain.process(new float[1], new TokenHistory());

        assertThat(calls).containsExactly("first", "middle", "last");
        assertThat(middle.processors()).hasSize(1);
        assertThat(chain.processors()).hasSize(3);
    }

    @Test
    @DisplayName("applies each processor to the output of the one before")
    void composes() {
        float[] logits = {4f, -2f, 1f};
        LogitsProcessorChain chain = LogitsProcessorChain.of(new Temperature(0.5), new TopK(2));

        chain.process(logits, new TokenHistory());

        assertThat(logits).containsExactly(8f, Float.NEGATIVE_INFINITY, 2f);
    }
}
