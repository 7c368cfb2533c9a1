package dev.trimtab.training.pipeline;

import java.util.Set;

/**
 * How on-policy preference data is made: the policy samples {@code samplesPerPrompt} completions
 * per prompt; for each gold reward, the best and the worst completion of a prompt become a pair
 * (as the DPO and GenARM papers build theirs from policy samples), unless their rewards differ by
 * less than {@code minRewardGap}.
 *
 * @param policy the SFT run to sample from
 * @param samplesPerPrompt completions per prompt; default 4
 * @param temperature sampling temperature; default 1.0 (the policy's own distribution)
 * @param maxTokens longest completion; default 64
 * @param minRewardGap smallest reward difference kept as a preference; default 0.05
 * @param heldoutFraction fraction of prompts whose pairs are held out; default 0.15
 * @param batchSize sequences generated together; default 64
 */
public record SamplingSection(
        String policy,
        int samplesPerPrompt,
        double temperature,
        int maxTokens,
        double minRewardGap,
        double heldoutFraction,
        int batchSize) {

    static SamplingSection read(ConfigNode node) {
        node.onlyKeys(Set.of(
                "policy",
                "samples_per_prompt",
                "temperature",
                "max_tokens",
                "min_reward_gap",
                "heldout_fraction",
                "batch_size"));
        return new SamplingSection(
                node.text("policy", "").isEmpty() ? null : node.text("policy", ""),
                node.integer("samples_per_prompt", 4, 2, 64),
                node.number("temperature", 1.0, 0, true, 10),
                node.integer("max_tokens", 64, 1, 100_000),
                node.number("min_reward_gap", 0.05, 0, false, 1e9),
                node.number("heldout_fraction", 0.15, 0, true, 0.9),
                node.integer("batch_size", 64, 1, 4096));
    }
}
