package dev.trimtab.decoding.strategy.args;

import dev.trimtab.decoding.strategy.GuidedTopK;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;

/**
 * ARGS step by step: a base row and the reward model's; the base's top k are chosen after the base
 * pass, scored in the same round (in the reward lane's pass, or its scoring phase for a sequence
 * reward model), and one is taken at the end of it.
 */
final class ArgsDecoder implements StepDecoder {
    private final GuidedTopK search;

    ArgsDecoder(RequestContext context, ArgsParams params) {
        this.search =
                new GuidedTopK(context, params.k(), params.weight(), params.mode() == ArgsParams.Mode.GREEDY, false);
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
