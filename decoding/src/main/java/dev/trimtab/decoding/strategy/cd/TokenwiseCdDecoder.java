package dev.trimtab.decoding.strategy.cd;

import dev.trimtab.decoding.strategy.GuidedTopK;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;

/**
 * Tokenwise controlled decoding: the base's top k scored {@code log π_base(z) + λ·V(x, z)} in the
 * same round (the scorer lane's pass, or the scoring phase for a sequence reward model), drawn from
 * their softmax.
 */
final class TokenwiseCdDecoder implements StepDecoder {
    private final GuidedTopK search;

    TokenwiseCdDecoder(RequestContext context, ControlledDecodingParams params) {
        this.search = new GuidedTopK(
                context, params.k(), params.lambda(), context.sampling().greedy(), true);
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
