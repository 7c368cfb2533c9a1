package dev.trimtab.loadtest.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a point's KL(π‖π_base) per sequence is measured, which depends on what the server's per-token
 * log-probabilities mean for the strategy (README, "Endpoints": the distribution each token was drawn from).
 */
public enum KlMethod {
    /**
     * Strategies that draw every token from one distribution and report its log-probability: {@code none},
     * {@code dera} and {@code genarm} (the mixed distribution), {@code args} and tokenwise {@code cd} (the softmax
     * over the k candidates' scores; 0 for a greedy choice). The mean over the policy's own samples of
     * Σ_t log π(y_t | y_&lt;t) − log π_base(y_t | y_&lt;t) is an unbiased Monte-Carlo estimate of the sequence KL.
     */
    TOKENS("Σ log π − log π_base over the policy's samples"),
    /** best-of-N: the plug-in estimate of {@link BestOfNKl}, beside its analytic bound. */
    SELECTION("best-of-N plug-in from candidate rewards"),
    /**
     * Strategies that keep one of several sampled continuations (blockwise CD, speculative rejection): the server's
     * log-probabilities are those of the base the candidates came from, not of the resulting policy, so no sequence
     * KL is measured; the report gives the shift of log π_base instead.
     */
    UNMEASURED("not measured (continuations kept by a scorer)");

    private final String description;

    KlMethod(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The method for a strategy's wire name and its {@code alignment} object. */
    public static KlMethod of(String strategy, JsonNode alignment) {
        return switch (strategy) {
            case "none", "dera", "genarm", "args" -> TOKENS;
            case "cd" -> alignment.path("mode").asText("tokenwise").equals("blockwise") ? UNMEASURED : TOKENS;
            case "best_of_n" -> SELECTION;
            default -> UNMEASURED;
        };
    }
}
