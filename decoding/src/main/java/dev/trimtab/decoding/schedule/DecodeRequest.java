package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.Objects;

/**
 * One request to decode: a tokenized prompt, how to sample, and the alignment strategy with its
 * strength.
 *
 * @param promptIds the prompt's token ids (at least one)
 * @param sampling sampling parameters: temperature, top-k/p, min-p, penalty, seed, max tokens, stop
 *     sequences; every strategy honours them
 * @param strategy the alignment strategy and its parameters; {@link PlainSampling} for none
 * @param logprobs whether each token event carries the token's log-probability under the
 *     strategy's distribution (an extra pass over the vocabulary per token)
 */
public record DecodeRequest(long[] promptIds, SamplingParams sampling, AlignmentStrategy strategy, boolean logprobs) {

    public DecodeRequest {
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(strategy, "strategy");
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("prompt must contain at least one token");
        }
        promptIds = promptIds.clone();
    }

    /** Plain sampling of {@code promptIds} with {@code sampling}, no log-probabilities. */
    public static DecodeRequest of(long[] promptIds, SamplingParams sampling) {
        return new DecodeRequest(promptIds, sampling, PlainSampling.INSTANCE, false);
    }

    @Override
    public long[] promptIds() {
        return promptIds.clone();
    }

    public DecodeRequest withPrompt(long[] value) {
        return new DecodeRequest(value, sampling, strategy, logprobs);
    }

    public DecodeRequest withStrategy(AlignmentStrategy value) {
        return new DecodeRequest(promptIds, sampling, value, logprobs);
    }

    public DecodeRequest withSampling(SamplingParams value) {
        return new DecodeRequest(promptIds, value, strategy, logprobs);
    }

    public DecodeRequest withLogprobs(boolean value) {
        return new DecodeRequest(promptIds, sampling, strategy, value);
    }

    int promptLength() {
        return promptIds.length;
    }

    long promptId(int index) {
        return promptIds[index];
    }
}
