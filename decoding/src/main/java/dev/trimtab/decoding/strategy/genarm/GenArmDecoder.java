package dev.trimtab.decoding.strategy.genarm;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.schedule.AuxiliaryModel;
import dev.trimtab.decoding.schedule.RequestContext;
import dev.trimtab.decoding.schedule.Row;
import dev.trimtab.decoding.schedule.StepDecoder;
import java.util.List;

/** A base row and one row per ARM stepped together; each round combines their outputs and samples. */
final class GenArmDecoder implements StepDecoder {
    private final RequestContext context;
    private final double[] alphas;
    private final Sequence sequence;
    private final Row base;
    private final List<Row> arms;
    private final float[][] armLogits;
    private float[] mixedCopy = new float[0];

    GenArmDecoder(RequestContext context, double[] alphas) {
        this.context = context;
        this.alphas = alphas;
        this.sequence = context.newSequence();
        this.base = context.openBase();
        List<AuxiliaryModel> models = context.plan().lanes();
        this.arms = models.stream().map(context::open).toList();
        this.armLogits = new float[arms.size()][];
        for (int i = 0; i < armLogits.length; i++) {
            armLogits[i] = new float[arms.get(i).vocab()];
        }
    }

    @Override
    public void endRound() {
        float[] mixed = context.baseLogits(base);
        for (int i = 0; i < arms.size(); i++) {
            arms.get(i).logits(armLogits[i]);
        }
        GenArmMixing.mix(mixed, armLogits, alphas, context.sharedVocab());
        double normalizer = Double.NaN;
        if (context.logprobs()) {
            normalizer = LogSoftmax.logSumExp(mixed);
            mixedCopy = mixed.clone();
        }
        int token = sequence.sample(mixed);
        context.emit(token, sequence.accept(token), context.logprobs() ? mixedCopy[token] - normalizer : Double.NaN);
        if (sequence.finished()) {
            context.finish(sequence.completion());
        } else {
            base.feed(token);
            arms.forEach(arm -> arm.feed(token));
        }
    }
}
