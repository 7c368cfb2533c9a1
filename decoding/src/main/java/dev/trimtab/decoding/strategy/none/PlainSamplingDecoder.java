package dev.trimtab.decoding.strategy.none;

import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.TokenStep;
import java.util.List;

/** One base row; each round samples the next token from its logits and feeds it back. */
final class PlainSamplingDecoder implements StepDecoder {
    private final RequestContext context;
    private final TokenStep step;
    private final Row row;

    PlainSamplingDecoder(RequestContext context) {
        this.context = context;
        this.step = new TokenStep(context, context.newSequence());
        this.row = context.openBase();
    }

    @Override
    public void endRound() {
        step.sampleAndAdvance(context.baseLogits(row), row, List.of(row));
    }
}
