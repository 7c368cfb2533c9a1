package dev.trimtab.loadtest.eval;

import java.util.List;

/**
 * A finished sweep.
 *
 * @param url the server evaluated
 * @param model the base model
 * @param prompts the prompt file
 * @param promptCount prompts used
 * @param samplesPerPrompt completions per prompt and point
 * @param maxTokens {@code max_tokens} of every request
 * @param seed the sweep's seed
 * @param elapsedSeconds the whole sweep's wall time, scoring requests included
 * @param points every point, in sweep order
 * @param samples every point's samples, in sweep order (for {@code samples.jsonl})
 */
public record EvalReport(
        String url,
        String model,
        String prompts,
        int promptCount,
        int samplesPerPrompt,
        int maxTokens,
        long seed,
        double elapsedSeconds,
        List<PointResult> points,
        List<List<Sample>> samples) {

    public EvalReport {
        points = List.copyOf(points);
        samples = samples.stream().map(List::copyOf).toList();
    }

    /** The reference point: the first with strategy {@code none}. */
    public PointResult none() {
        return points.stream()
                .filter(p -> p.strategy().equals("none"))
                .findFirst()
                .orElseThrow();
    }
}
