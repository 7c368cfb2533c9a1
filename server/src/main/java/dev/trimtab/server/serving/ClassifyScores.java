package dev.trimtab.server.serving;

import dev.trimtab.rewards.model.RewardLabels;
import java.util.List;

/**
 * What a reward model made of a {@code /v1/classify} request's inputs.
 *
 * @param rewardModel the reward model's name
 * @param labels its labels and which one is the reward
 * @param logits every label's logit, per input in order
 * @param promptTokens the tokens scored, over every input
 */
public record ClassifyScores(String rewardModel, RewardLabels labels, List<float[]> logits, int promptTokens) {
    public ClassifyScores {
        logits = List.copyOf(logits);
    }
}
