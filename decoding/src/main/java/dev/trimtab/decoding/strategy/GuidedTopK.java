package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One token at a time, chosen among the base model's top k by a score-head model: after the base
 * pass the scorer row is forked k ways, each copy stepping one candidate, so the k prefixes are
 * scored in one batched pass that reuses the scorer's KV cache; the chosen copy lives on, the rest
 * are dropped. Candidate i scores {@code b_i + w·r_i}, with {@code b_i} the base term (the processed
 * logit for ARGS, the log-probability for controlled decoding) and {@code r_i} the scorer's value
 * of the prefix ending in the candidate. ARGS and tokenwise controlled decoding are both this step.
 */
public final class GuidedTopK {
    private final RequestContext context;
    private final Sequence sequence;
    private final int k;
    private final double weight;
    private final boolean greedy;
    private final boolean logProbabilities;
    private final SplittableRandom random;
    private final Row base;
    private Row scorer;
    private int[] candidates;
    private double[] baseTerms;
    private List<Row> scored;
    private double normalizer;

    /**
     * @param greedy take the best candidate; otherwise draw from the softmax of the scores
     * @param logProbabilities whether the base term is the log-probability rather than the logit
     */
    public GuidedTopK(
            RequestContext context,
            AuxiliaryModel scorerModel,
            int k,
            double weight,
            boolean greedy,
            boolean logProbabilities) {
        this.context = context;
        this.sequence = context.newSequence();
        this.k = k;
        this.weight = weight;
        this.greedy = greedy;
        this.logProbabilities = logProbabilities;
        this.random = new SplittableRandom(context.seed()).split();
        this.base = context.openBase();
        this.scorer = context.open(scorerModel);
    }

    /** Takes the base's top k (after the request's processors) and forks the scorer row onto them. */
    public void afterBase() {
        float[] logits = context.baseLogits(base);
        normalizer = context.logprobs() ? LogSoftmax.logSumExp(logits) : Double.NaN;
        sequence.process(logits);
        candidates = TopCandidates.of(logits, k);
        double shift = logProbabilities ? LogSoftmax.logSumExp(logits) : 0;
        baseTerms = new double[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            baseTerms[i] = logits[candidates[i]] - shift;
        }
        scored = scorer.fork(TopCandidates.asTokens(candidates));
    }

    /** Reads the k rewards, chooses, emits the token and keeps the chosen scorer copy. */
    public void endRound() {
        double[] scores = new double[candidates.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = baseTerms[i] + weight * scored.get(i).score();
        }
        context.countRewardScores(scores.length);
        int chosen = greedy ? Choice.argmax(scores) : Choice.draw(scores, 1.0, random);
        int token = candidates[chosen];
        context.emit(token, sequence.accept(token), base.logit(token) - normalizer);
        if (sequence.finished()) {
            context.finish(sequence.completion());
            return;
        }
        base.feed(token);
        for (int i = 0; i < scored.size(); i++) {
            if (i != chosen) {
                scored.get(i).release();
            }
        }
        scorer = scored.get(chosen);
    }
}
