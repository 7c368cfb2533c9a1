package dev.trimtab.loadtest.eval;

import java.util.List;
import java.util.Map;

/**
 * One answered request of a point: its choices, the forward tokens each model ran (from the answer's
 * {@code alignment} accounting) and the request's wall time.
 *
 * @param choices the completions, in index order
 * @param forwardTokens forward tokens per model, by the name the accounting gives it
 * @param roles each model's role in the accounting ({@code base}, {@code reward}, ...)
 * @param candidateRewards per choice, the rewards of every candidate the strategy scored (best-of-N with
 *     {@code return_all}); empty when the answer lists none
 * @param chosenRewards per choice, the reward of the candidate it returned; empty when the answer lists none
 * @param wallNanos from sending the request to reading the whole answer
 */
public record Generation(
        List<Choice> choices,
        Map<String, Long> forwardTokens,
        Map<String, String> roles,
        List<List<Double>> candidateRewards,
        List<Double> chosenRewards,
        long wallNanos) {

    public Generation {
        choices = List.copyOf(choices);
        forwardTokens = Map.copyOf(forwardTokens);
        roles = Map.copyOf(roles);
        candidateRewards = candidateRewards.stream().map(List::copyOf).toList();
        chosenRewards = List.copyOf(chosenRewards);
    }

    /**
     * One completion.
     *
     * @param text the completion's text
     * @param promptTokenIds the prompt as the server tokenized it ({@code prompt_token_ids})
     * @param tokenIds the generated ids ({@code token_ids}), the EOS included when the model chose it
     * @param tokenLogprobs each generated token's log-probability as the server reports it
     * @param reward the reward the server reports for the choice (best-of-N), NaN when none
     */
    public record Choice(String text, long[] promptTokenIds, long[] tokenIds, double[] tokenLogprobs, double reward) {}
}
