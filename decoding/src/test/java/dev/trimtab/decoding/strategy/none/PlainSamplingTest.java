package dev.trimtab.decoding.strategy.none;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TokenAlternative;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlainSamplingTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return PlainSampling.INSTANCE;
    }

    @Test
    @DisplayName("log-probabilities are the base model's at each step")
    void logprobs() throws Exception {
        RecordingListener run = decode(request(21, 4).withLogprobs(true));
        long[] prompt = prompt("The film was");
        for (int step = 0; step < 4; step++) {
            float[] logits =
                    Independent.logits(fixtures.base().decoder(), Independent.prefix(prompt, run.tokenIds(), step));
            LogSoftmax.apply(logits, logits);
            assertThat(run.logprobs.get(step))
                    .isCloseTo(logits[(int) run.tokens.get(step).longValue()], within(1e-4));
        }
    }

    @Test
    @DisplayName("top alternatives are the first k of a full sort of the base model's log-softmax")
    void topLogprobs() throws Exception {
        RecordingListener run = decode(request(21, 4).withLogprobs(true).withTopLogprobs(5));
        long[] prompt = prompt("The film was");
        for (int step = 0; step < 4; step++) {
            float[] logits =
                    Independent.logits(fixtures.base().decoder(), Independent.prefix(prompt, run.tokenIds(), step));
            LogSoftmax.apply(logits, logits);
            Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
            List<TokenAlternative> top = run.tops.get(step);
            assertThat(top).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(top.get(i).token()).isEqualTo(order[i].longValue());
                assertThat(top.get(i).logprob()).isCloseTo(logits[order[i]], within(1e-4));
            }
        }
    }

    @Test
    @DisplayName("without the option, token events carry no log-probability")
    void noLogprobs() {
        assertThat(decode(request(21, 3)).logprobs).allMatch(value -> value.isNaN());
    }
}
