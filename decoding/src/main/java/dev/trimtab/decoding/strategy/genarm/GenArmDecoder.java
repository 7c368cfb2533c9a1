package dev.trimtab.decoding.strategy.genarm;

import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.TokenStep;
import java.util.ArrayList;
import java.util.List;

/** A base row and one row per ARM stepped together; each round combines their outputs and samples. */
final class GenArmDecoder implements StepDecoder {
    private final RequestContext context;
    private final double[] alphas;
    private final TokenStep step;
    private final Row base;
    private final List<Row> arms;
    private final List<Row> rows;
    private final float[][] armLogits;

    GenArmDecoder(RequestContext context, double[] alphas) {
        this.context = context;
        this.alphas = alphas;
        this.step = new TokenStep(context, context.newSequence());
        this.base = context.openBase();
        this.arms = context.plan().lanes().stream().map(context::open).toList();
        List<Row> all = new ArrayList<>(arms);
        all.add(0, base);
        this.rows = List.copyOf(all);
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
        step.sampleAndAdvance(mixed, base, rows);
    }
}
