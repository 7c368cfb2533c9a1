package dev.trimtab.decoding.strategy.dera;

import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.TokenStep;
import java.util.List;

/** A reference row and an aligned row stepped together; each round mixes their logits and samples. */
final class DeraDecoder implements StepDecoder {
    private final RequestContext context;
    private final double lambda;
    private final TokenStep step;
    private final Row reference;
    private final Row aligned;
    private final List<Row> rows;
    private final float[] alignedLogits;

    DeraDecoder(RequestContext context, double lambda) {
        this.context = context;
        this.lambda = lambda;
        this.step = new TokenStep(context, context.newSequence());
        this.reference = context.openBase();
        this.aligned = context.open(context.plan().lanes().get(0));
        this.rows = List.of(reference, aligned);
        this.alignedLogits = new float[aligned.vocab()];
    }

    @Override
    public void endRound() {
        float[] mixed = context.baseLogits(reference);
        DeraMixing.mix(lambda, aligned.logits(alignedLogits), mixed, context.sharedVocab(), mixed);
        step.sampleAndAdvance(mixed, reference, rows);
    }
}
