package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.TopLogprobs;
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
 * @param topLogprobs how many of the most likely alternatives each token event carries, in [0,
 *     {@link TopLogprobs#MAX_K}]; above 0 only with {@code logprobs} and a strategy whose {@link
 *     AlignmentStrategy#topLogprobs()} is true
 * @param baseLogprobs whether each token event also carries the base model's log-probability of the
 *     token (another pass over the vocabulary per token); only with {@code logprobs}
 */
public record DecodeRequest(
        long[] promptIds,
        SamplingParams sampling,
        AlignmentStrategy strategy,
        boolean logprobs,
        int topLogprobs,
        boolean baseLogprobs) {

    public DecodeRequest {
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(strategy, "strategy");
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("prompt must contain at least one token");
        }
        if (topLogprobs < 0 || topLogprobs > TopLogprobs.MAX_K) {
            throw new IllegalArgumentException(
                    "topLogprobs must be in [0, " + TopLogprobs.MAX_K + "], got " + topLogprobs);
        }
        if (topLogprobs > 0 && !(logprobs && strategy.topLogprobs())) {
            throw new IllegalArgumentException("topLogprobs " + topLogprobs + " needs logprobs and a strategy that"
                    + " reports alternatives; strategy '" + strategy.name() + "' does not");
        }
        if (baseLogprobs && !logprobs) {
            throw new IllegalArgumentException("baseLogprobs needs logprobs");
        }
        promptIds = promptIds.clone();
    }

    /** A request without the base model's log-probabilities. */
    public DecodeRequest(
            long[] promptIds, SamplingParams sampling, AlignmentStrategy strategy, boolean logprobs, int topLogprobs) {
        this(promptIds, sampling, strategy, logprobs, topLogprobs, false);
    }

    /** A request without top alternatives. */
    public DecodeRequest(long[] promptIds, SamplingParams sampling, AlignmentStrategy strategy, boolean logprobs) {
        this(promptIds, sampling, strategy, logprobs, 0, false);
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
        return new DecodeRequest(value, sampling, strategy, logprobs, topLogprobs, baseLogprobs);
    }

    public DecodeRequest withStrategy(AlignmentStrategy value) {
        return new DecodeRequest(promptIds, sampling, value, logprobs, topLogprobs, baseLogprobs);
    }

    public DecodeRequest withSampling(SamplingParams value) {
        return new DecodeRequest(promptIds, value, strategy, logprobs, topLogprobs, baseLogprobs);
    }

    public DecodeRequest withLogprobs(boolean value) {
        return new DecodeRequest(promptIds, sampling, strategy, value, value ? topLogprobs : 0, value && baseLogprobs);
    }

    public DecodeRequest withTopLogprobs(int value) {
        return new DecodeRequest(promptIds, sampling, strategy, logprobs, value, baseLogprobs);
    }

    public DecodeRequest withBaseLogprobs(boolean value) {
        return new DecodeRequest(promptIds, sampling, strategy, logprobs, topLogprobs, value);
    }

    int promptLength() {
        return promptIds.length;
    }

    long promptId(int index) {
        return promptIds[index];
    }
}
