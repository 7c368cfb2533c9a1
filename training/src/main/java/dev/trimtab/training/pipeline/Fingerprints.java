package dev.trimtab.training.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * What each stage's output depends on, hashed: a stage is redone on resume exactly when its
 * fingerprint changed, so editing one run of a recipe retrains that run and what depends on it
 * (later runs initialized from it, the evaluation), not the rest.
 *
 * <pre>
 * data        = H(seed, data section)
 * tokenizer   = H(data, vocab size)
 * runs/NAME   = H(tokenizer, run section, its architecture, runs/INIT, samples when it needs them)
 * samples     = H(tokenizer, sampling section, runs/POLICY)
 * evaluation  = H(samples settings, evaluation section, runs/POLICY for each policy)
 * </pre>
 */
final class Fingerprints {
    private final Recipe recipe;
    private final Map<String, String> memo = new HashMap<>();

    Fingerprints(Recipe recipe) {
        this.recipe = recipe;
    }

    /** The fingerprint of a stage: {@code data}, {@code tokenizer}, {@code samples}, {@code evaluation} or {@code runs/NAME}. */
    String of(String stage) {
        String cached = memo.get(stage);
        if (cached == null) {
            cached = compute(stage);
            memo.put(stage, cached);
        }
        return cached;
    }

    private String compute(String stage) {
        return switch (stage) {
            case DataStage.NAME -> hash(recipe.seed(), recipe.data());
            case TokenizerStage.NAME -> hash(of(DataStage.NAME), recipe.tokenizerVocab());
            case SamplingStage.NAME ->
                hash(
                        of(TokenizerStage.NAME),
                        recipe.sampling(),
                        of("runs/" + recipe.sampling().policy()));
            case EvaluationStage.NAME -> evaluation();
            default -> run(recipe.run(stage.substring("runs/".length())));
        };
    }

    private String run(RunSection run) {
        return hash(
                of(TokenizerStage.NAME),
                run,
                recipe.architectureOf(run),
                run.init() == null ? "" : of("runs/" + run.init()),
                run.objective().needsSamples() ? of(SamplingStage.NAME) : "");
    }

    private String evaluation() {
        StringBuilder policies = new StringBuilder();
        recipe.evaluation().policies().forEach(policy -> policies.append(of("runs/" + policy))
                .append(','));
        return hash(of(DataStage.NAME), recipe.sampling(), recipe.evaluation(), policies);
    }

    private static String hash(Object... parts) {
        StringBuilder text = new StringBuilder();
        for (Object part : parts) {
            text.append(part).append('\u0000');
        }
        return Recipe.sha256(text.toString());
    }
}
