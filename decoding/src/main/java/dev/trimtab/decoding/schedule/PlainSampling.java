package dev.trimtab.decoding.schedule;

/**
 * No alignment: the base model sampled with the request's parameters, the baseline every strategy
 * is measured against. Wire name {@code none}.
 */
public record PlainSampling() implements AlignmentStrategy {

    /** The only instance needed: the strategy has no parameters. */
    public static final PlainSampling INSTANCE = new PlainSampling();

    @Override
    public String name() {
        return "none";
    }

    @Override
    public StrategyPlan plan(AlignmentModels models) {
        return StrategyPlan.baseOnly(1);
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new PlainSamplingDecoder(context);
    }
}
