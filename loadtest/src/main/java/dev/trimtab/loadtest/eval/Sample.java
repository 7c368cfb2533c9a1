package dev.trimtab.loadtest.eval;

/**
 * One sampled completion of a point, with what the evaluator measured on it.
 *
 * @param prompt the prompt's index in the prompt set
 * @param text the completion
 * @param promptTokenIds the prompt as the server tokenized it
 * @param tokenIds the generated ids (the EOS included when the model chose it)
 * @param policyLogprob the sum of the server's log-probabilities of the generated tokens: under the distribution each
 *     token was drawn from
 * @param baseLogprob the sum of the base model's log-probabilities of the same tokens, rescored by the evaluator
 * @param positivity the gold positivity of the text
 * @param conciseness the gold conciseness of the text
 * @param selectionKl for best-of-N, the plug-in estimate of log(π_N(y)/π_base(y)) (see {@link BestOfNKl}); NaN
 *     otherwise
 * @param degenerate whether the text runs into a repetition loop (see {@link TextMetrics#degenerate})
 */
public record Sample(
        int prompt,
        String text,
        long[] promptTokenIds,
        long[] tokenIds,
        double policyLogprob,
        double baseLogprob,
        double positivity,
        double conciseness,
        double selectionKl,
        boolean degenerate) {

    /** Generated tokens, the EOS included when the model chose it. */
    public int tokens() {
        return tokenIds.length;
    }

    /**
     * The single-sample Monte-Carlo term of KL(π‖π_base) = E_π[log π(y) − log π_base(y)]: exact in expectation
     * when {@code policyLogprob} is the log-probability of the distribution the tokens were drawn from.
     */
    public double tokenKl() {
        return policyLogprob - baseLogprob;
    }
}
