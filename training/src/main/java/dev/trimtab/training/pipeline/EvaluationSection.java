package dev.trimtab.training.pipeline;

import java.util.List;
import java.util.Set;

/**
 * The end-of-pipeline comparison: each listed policy samples {@code samplesPerPrompt} completions
 * for every evaluation prompt, and the mean of every gold reward is reported per policy.
 *
 * @param policies runs with a language-model head to compare (e.g. the SFT and DPO policies)
 * @param samplesPerPrompt completions per prompt and policy; default 2
 */
public record EvaluationSection(List<String> policies, int samplesPerPrompt) {

    static EvaluationSection read(ConfigNode node) {
        node.onlyKeys(Set.of("policies", "samples_per_prompt"));
        List<String> policies = new java.util.ArrayList<>();
        if (node.has("policies")) {
            if (node.raw().get("policies").isArray()) {
                node.raw().get("policies").forEach(p -> policies.add(p.asText()));
            } else {
                node.errors().add(node.path() + ".policies must be a list of run names");
            }
        }
        return new EvaluationSection(List.copyOf(policies), node.integer("samples_per_prompt", 2, 1, 64));
    }
}
