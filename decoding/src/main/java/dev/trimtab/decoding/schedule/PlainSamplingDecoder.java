package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;

/** One base row; each round samples the next token from its logits and feeds it back. */
final class PlainSamplingDecoder implements StepDecoder {
    private final RequestContext context;
    private final Sequence sequence;
    private final Row row;

    PlainSamplingDecoder(RequestContext context) {
        this.context = context;
        this.sequence = context.newSequence();
        this.row = context.openBase();
    }

    @Override
    public void endRound() {
        float[] logits = context.baseLogits(row);
        double normalizer = context.logprobs() ? LogSoftmax.logSumExp(logits) : Double.NaN;
        int token = sequence.sample(logits);
        context.emit(token, sequence.accept(token), row.logit(token) - normalizer);
        if (sequence.finished()) {
            context.finish(sequence.completion());
        } else {
            row.feed(token);
        }
    }
}
