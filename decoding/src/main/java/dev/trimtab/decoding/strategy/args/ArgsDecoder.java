package dev.trimtab.decoding.strategy.args;

import dev.trimtab.decoding.strategy.GuidedTopK;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;

/**
 * ARGS step by step: a base row and a reward-model row; the base's top k are chosen after the base
 * pass, scored in the reward lane's pass of the same round, and one is taken at the end of it.
 */
final class ArgsDecoder implements StepDecoder {
    private final GuidedTopK search;

    ArgsDecoder(RequestContext context, ArgsParams params) {
        this.search = new GuidedTopK(
                context,
                context.plan().lanes().get(0),
                params.k(),
                params.weight(),
                params.mode() == ArgsParams.Mode.GREEDY,
                false);
    }

    @Override
    public void afterBase() {
        search.afterBase();
    }

    @Override
    public void endRound() {
        search.endRound();
    }
}
