package dev.trimtab.server.serving;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One finished choice.
 *
 * @param index the choice's index in the response
 * @param text the whole completion text (stop sequence excluded)
 * @param finishReason {@code stop} or {@code length}
 * @param completionTokens tokens generated
 * @param reward the reward model's score of this text, where the strategy computed one
 * @param promptTokenIds the choice's prompt as token ids
 * @param tokens each generated token (id, and log-probabilities when asked), when the request asked
 *     for log-probabilities or token ids; else empty
 */
public record ChoiceResult(
        int index,
        String text,
        String finishReason,
        int completionTokens,
        OptionalDouble reward,
        long[] promptTokenIds,
        List<TokenLogprob> tokens) {

    public ChoiceResult {
        promptTokenIds = promptTokenIds.clone();
        tokens = List.copyOf(tokens);
    }

    @Override
    public long[] promptTokenIds() {
        return promptTokenIds.clone();
    }
}
