package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.ModelRole;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one request cost, per model: forward passes, tokens, time.
 *
 * @param models usage by model name, the base first
 * @param rewardScores rewards read: candidates scored by reward models and prefix scorers
 * @param candidatesPerRound candidates that generated a token, one entry per round, for strategies
 *     that stop candidates early (speculative rejection); empty for the others
 */
public record Accounting(Map<String, ModelUsage> models, long rewardScores, List<Integer> candidatesPerRound) {

    public Accounting {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        candidatesPerRound = List.copyOf(candidatesPerRound);
    }

    /** Tokens run through reward models and prefix scorers on the request's behalf. */
    public long rewardTokens() {
        return models.values().stream()
                .filter(usage -> usage.role() == ModelRole.REWARD)
                .mapToLong(ModelUsage::tokens)
                .sum();
    }

    /** Forward passes of every model together. */
    public long forwardPasses() {
        return models.values().stream().mapToLong(ModelUsage::forwardPasses).sum();
    }
}
