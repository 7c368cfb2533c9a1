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
 * @param logprobs each generated token with its log-probability, when the request asked for them
 */
public record ChoiceResult(
        int index,
        String text,
        String finishReason,
        int completionTokens,
        OptionalDouble reward,
        List<TokenLogprob> logprobs) {

    public ChoiceResult {
        logprobs = List.copyOf(logprobs);
    }
}
