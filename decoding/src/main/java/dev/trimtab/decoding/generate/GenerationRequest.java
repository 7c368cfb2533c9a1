package dev.trimtab.decoding.generate;

import dev.trimtab.decoding.sampling.SamplingParams;
import java.util.Objects;

/**
 * One sequence to generate: the tokenized prompt and how to sample its continuation.
 *
 * @param promptIds the prompt's token ids (at least one)
 * @param params sampling parameters, validated on construction
 */
public record GenerationRequest(long[] promptIds, SamplingParams params) {

    public GenerationRequest {
        Objects.requireNonNull(params, "params");
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("prompt must contain at least one token");
        }
        promptIds = promptIds.clone();
    }

    @Override
    public long[] promptIds() {
        return promptIds.clone();
    }

    int promptLength() {
        return promptIds.length;
    }
}
