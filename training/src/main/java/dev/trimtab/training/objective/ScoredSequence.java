package dev.trimtab.training.objective;

import dev.trimtab.training.data.TokenSequence;
import java.util.Objects;

/**
 * A completed rollout and the gold reward of its completion.
 *
 * @param sequence prompt and completion
 * @param reward the reward of the whole completion
 */
public record ScoredSequence(TokenSequence sequence, double reward) {
    public ScoredSequence {
        Objects.requireNonNull(sequence, "sequence");
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("reward must be finite, got " + reward);
        }
    }
}
