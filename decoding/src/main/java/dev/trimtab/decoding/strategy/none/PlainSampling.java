package dev.trimtab.decoding.strategy.none;

import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.List;

/**
 * No alignment: the base model sampled with the request's parameters, the baseline every strategy
 * is measured against. Wire name {@code none}.
 */
public record PlainSampling() implements AlignmentStrategy {

    /** The only instance needed: the strategy has no parameters. */
    public static final PlainSampling INSTANCE = new PlainSampling();

    /** Wire name {@code none}, no parameters. */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "none",
            "No alignment: the base model sampled with the request's parameters.",
            List.of(),
            values -> INSTANCE);

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public StrategyPlan plan(AlignmentModels models) {
        return StrategyPlan.baseOnly(1);
    }

    /** Its decoder samples from a full distribution: top alternatives come from it. */
    @Override
    public boolean topLogprobs() {
        return true;
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new PlainSamplingDecoder(context);
    }
}
