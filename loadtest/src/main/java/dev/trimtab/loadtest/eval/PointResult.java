package dev.trimtab.loadtest.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What one sweep point measured.
 *
 * @param label the point's label, e.g. {@code dera lambda=0.5}
 * @param line the strategy line
 * @param strategy the strategy's wire name
 * @param strengths the varied parameters' values
 * @param grid whether the point belongs to a grid line (several parameters varied)
 * @param alignment the {@code alignment} object sent
 * @param samples completions measured
 * @param positivity gold positivity
 * @param conciseness gold conciseness
 * @param klMethod how {@code kl} was measured
 * @param kl KL(π‖π_base) per sequence in nats; NaN where {@code klMethod} is {@link KlMethod#UNMEASURED}
 * @param klBound best-of-N's analytic bound log N − (N−1)/N; NaN for other strategies
 * @param baseLogprobShift mean log π_base(y) of the point's samples minus that of {@code none}'s samples: how much
 *     less likely the base finds the text (computable for every strategy; not a KL)
 * @param distinct2 distinct word bigrams over all bigrams
 * @param meanTokens generated tokens per completion
 * @param degenerateFraction the fraction of completions with a repetition loop
 * @param forwardTokensPerSample forward tokens per completion, by model name (from the answers' accounting)
 * @param roles each model's role in the accounting
 * @param forwardTokensPerToken every model's forward tokens per generated token
 * @param wallMsPerToken request wall time per generated token, in milliseconds
 * @param wallVsNone {@code wallMsPerToken} over {@code none}'s (requests interleaved)
 */
public record PointResult(
        String label,
        String line,
        String strategy,
        Map<String, Double> strengths,
        boolean grid,
        JsonNode alignment,
        int samples,
        Estimate positivity,
        Estimate conciseness,
        KlMethod klMethod,
        Estimate kl,
        double klBound,
        Estimate baseLogprobShift,
        double distinct2,
        double meanTokens,
        double degenerateFraction,
        Map<String, Double> forwardTokensPerSample,
        Map<String, String> roles,
        double forwardTokensPerToken,
        double wallMsPerToken,
        double wallVsNone) {

    /** The strength a chart puts on a line: the single varied value, NaN for none or several. */
    public double strength() {
        return strengths.size() == 1 ? strengths.values().iterator().next() : Double.NaN;
    }
}
