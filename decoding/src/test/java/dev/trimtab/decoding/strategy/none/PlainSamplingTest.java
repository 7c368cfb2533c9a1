package dev.trimtab.decoding.strategy.none;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
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
    @DisplayName("without the option, token events carry no log-probability")
    void noLogprobs() {
        assertThat(decode(request(21, 3)).logprobs).allMatch(value -> value.isNaN());
    }
}
