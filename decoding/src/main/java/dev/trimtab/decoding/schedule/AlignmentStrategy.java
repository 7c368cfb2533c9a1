package dev.trimtab.decoding.schedule;

/**
 * An alignment strategy with its parameters, chosen per request. Implementations are records that
 * validate themselves on construction (errors name the {@code alignment.*} field, the bad value and
 * the allowed range, so that a server can answer 400 with them) and check the models they name in
 * {@link #plan}.
 */
public interface AlignmentStrategy {

    /** The wire name: {@code none}, {@code best_of_n}, {@code args}, {@code cd}, {@code dera}, {@code genarm}. */
    String name();

    /**
     * Resolves the models this request needs among {@code models}.
     *
     * @throws IllegalArgumentException naming the {@code alignment.*} field when a model is unknown or
     *     of the wrong kind
     */
    StrategyPlan plan(AlignmentModels models);

    /** Starts decoding one admitted request: opens its rows; called on the scheduler thread. */
    StepDecoder start(RequestContext context);
}
