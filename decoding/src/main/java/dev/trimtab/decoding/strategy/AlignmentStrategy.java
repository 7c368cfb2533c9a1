package dev.trimtab.decoding.strategy;

/**
 * An alignment strategy with its parameters, chosen per request: the plug-in interface every
 * strategy package implements (with a {@link StrategyDescriptor} that names and builds it).
 * Implementations are records that validate themselves on construction (errors are {@link
 * dev.trimtab.decoding.InvalidRequestException}s naming the {@code alignment.*} field, the bad
 * value and the allowed range) and resolve the models they name in {@link #plan}.
 */
public interface AlignmentStrategy {

    /** What the strategy is: its wire name and parameters. */
    StrategyDescriptor descriptor();

    /** The wire name, e.g. {@code best_of_n}. */
    default String name() {
        return descriptor().name();
    }

    /**
     * Resolves the models this request needs among {@code models}.
     *
     * @throws dev.trimtab.decoding.InvalidRequestException naming the {@code alignment.*} field when a
     *     model is unknown, of a kind the field does not take, or needed and not named
     */
    StrategyPlan plan(AlignmentModels models);

    /**
     * Whether its decoder reports, per token, the most likely alternatives of the full distribution
     * the token was drawn from ({@link RequestContext#topLogprobs()}). False for strategies that
     * choose among candidates or replay a chosen candidate's tokens: their requests may ask only for
     * the sampled token's log-probability.
     */
    default boolean topLogprobs() {
        return false;
    }

    /**
     * Whether these parameters turn the strategy off, so that it decodes exactly as plain sampling
     * (DeRa at λ = 0, GenARM with every weight 0, best-of-N with one sample): the scheduler then
     * plans and runs the base alone, plain sampling's decoder in place of {@link #start}, once
     * {@link #plan} has checked the models the request names (a request is valid or not whatever
     * its strength).
     */
    default boolean switchedOff() {
        return false;
    }

    /** Starts decoding one admitted request: opens its rows; called on the scheduler thread. */
    StepDecoder start(RequestContext context);
}
