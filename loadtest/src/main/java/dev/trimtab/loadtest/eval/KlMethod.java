package dev.trimtab.loadtest.eval;

/**
 * How a point's KL(π‖π_base) per sequence is measured, which depends on what the server's per-token
 * log-probabilities mean for the strategy (README, "Endpoints": the distribution each token was drawn from).
 */
public enum KlMethod {
    /**
     * Strategies that draw every token from one full distribution ({@code none}, {@code dera}, {@code genarm}): the
     * mean over the policy's own samples of Σ_t log π(y_t | y_&lt;t) − log π_base(y_t | y_&lt;t), an unbiased
     * Monte-Carlo estimate of the sequence KL.
     */
    TOKENS("Σ log π − log π_base over the policy's samples"),
    /** best-of-N: the plug-in estimate of {@link BestOfNKl}, beside its analytic bound. */
    SELECTION("best-of-N plug-in from candidate rewards"),
    /**
     * Strategies that choose among candidates token by token or block by block (ARGS, CD, speculative rejection):
     * the server's log-probabilities are those of the base the candidates came from, not of the resulting policy,
     * so no sequence KL is measured; the report gives the shift of log π_base instead.
     */
    UNMEASURED("not measured (candidates chosen by a scorer)");

    private final String description;

    KlMethod(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The method for a strategy's wire name. */
    public static KlMethod of(String strategy) {
        return switch (strategy) {
            case "none", "dera", "genarm" -> TOKENS;
            case "best_of_n" -> SELECTION;
            default -> UNMEASURED;
        };
    }
}
