package dev.trimtab.decoding.strategy.dera;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.schedule.RequestContext;
import dev.trimtab.decoding.schedule.Row;
import dev.trimtab.decoding.schedule.StepDecoder;

/** A reference row and an aligned row stepped together; each round mixes their logits and samples. */
final class DeraDecoder implements StepDecoder {
    private final RequestContext context;
    private final double lambda;
    private final Sequence sequence;
    private final Row reference;
    private final Row aligned;
    private final float[] alignedLogits;

    DeraDecoder(RequestContext context, double lambda) {
        this.context = context;
        this.lambda = lambda;
        this.sequence = context.newSequence();
        this.reference = context.openBase();
        this.aligned = context.open(context.plan().lanes().get(0));
        this.alignedLogits = new float[aligned.vocab()];
    }

    @Override
    public void endRound() {
        float[] mixed = context.baseLogits(reference);
        DeraMixing.mix(lambda, aligned.logits(alignedLogits), mixed, context.sharedVocab(), mixed);
        double normalizer = context.logprobs() ? LogSoftmax.logSumExp(mixed) : Double.NaN;
        int token = sequence.sample(mixed);
        double logit = lambda * aligned.logit(token) + (1 - lambda) * reference.logit(token);
        context.emit(token, sequence.accept(token), (float) logit - normalizer);
        if (sequence.finished()) {
            context.finish(sequence.completion());
        } else {
            reference.feed(token);
            aligned.feed(token);
        }
    }
}
