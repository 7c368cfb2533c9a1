package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One token at a time, chosen among the base model's top k by a reward model. Candidate i scores
 * {@code b_i + w·r_i}, with {@code b_i} the base term (the processed logit for ARGS, the
 * log-probability for controlled decoding) and {@code r_i} the reward model's value of the prefix
 * ending in the candidate. ARGS and tokenwise controlled decoding are both this step.
 *
 * <p>The k prefixes are scored in one batched pass, by one of two paths: a score-head decoder with
 * past ({@link ModelKind.Layout#SCORE_HEAD}) is stepped incrementally, its row forked k ways after
 * the base pass, each copy stepping one candidate in the lane's pass and reusing the KV cache (the
 * chosen copy lives on); a sequence reward model ({@link ModelKind.Layout#SEQUENCE}) scores the k
 * whole sequences (prompt, tokens so far, candidate) in the round's scoring phase, a full prefill
 * per candidate per token. {@link #plan} resolves which path a request takes.
 *
 * <p>A token's log-probability is the one it was chosen with, over the k scores: {@code s_i −
 * log Σ_j exp(s_j)} when drawn, 0 when taken greedily.
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
    private final CandidateScorer rewards;
    private int[] candidates;
    private double[] baseTerms;

    /**
     * @param greedy take the best candidate; otherwise draw from the softmax of the scores
     * @param logProbabilities whether the base term is the log-probability rather than the logit
     */
    public GuidedTopK(RequestContext context, int k, double weight, boolean greedy, boolean logProbabilities) {
        this.context = context;
        this.sequence = context.newSequence();
        this.k = k;
        this.weight = weight;
        this.greedy = greedy;
        this.logProbabilities = logProbabilities;
        this.random = new SplittableRandom(context.seed()).split();
        this.base = context.openBase();
        StrategyPlan plan = context.plan();
        this.rewards = plan.lanes().isEmpty()
                ? new WholeSequences(context, plan.rewardModels().get(0))
                : new IncrementalRows(context, context.open(plan.lanes().get(0)));
    }

    /**
     * One row of the base and the reward model {@code field} names, of one of {@code kinds} in order
     * of preference (see {@link AlignmentModels#kind}): in a lane when it is a score-head decoder,
     * among the plan's reward models when it scores whole sequences.
     */
    public static StrategyPlan plan(AlignmentModels models, String field, Optional<String> name, ModelKind... kinds) {
        ModelKind kind = models.kind(field, name, List.of(kinds));
        if (kind.layout() == ModelKind.Layout.SEQUENCE) {
            return new StrategyPlan(1, List.of(), List.of(models.rewardModel(field, name)));
        }
        return new StrategyPlan(1, List.of(models.decoder(field, name, kind)), List.of());
    }

    /** Takes the base's top k (after the request's processors) and queues them for scoring. */
    public void afterBase() {
        float[] logits = context.baseLogits(base);
        sequence.process(logits);
        candidates = TopCandidates.of(logits, k);
        double shift = logProbabilities ? LogSoftmax.logSumExp(logits) : 0;
        baseTerms = new double[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            baseTerms[i] = logits[candidates[i]] - shift;
        }
        rewards.propose(candidates);
    }

    /** Reads the k rewards, chooses, emits the token and lets the scorer keep the chosen prefix. */
    public void endRound() {
        double[] rewardValues = rewards.rewards();
        double[] scores = new double[candidates.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = baseTerms[i] + weight * rewardValues[i];
        }
        double temperature = greedy ? 0 : 1;
        int chosen = Choice.draw(scores, temperature, random);
        int token = candidates[chosen];
        double logprob = context.logprobs() ? Choice.logProbability(scores, chosen, temperature) : Double.NaN;
        double baseLogprob = context.baseLogprob(base, token);
        context.emit(token, sequence.accept(token), TokenLogprobs.of(logprob, baseLogprob));
        if (sequence.finished()) {
            context.finish(sequence.completion());
            return;
        }
        base.feed(token);
        rewards.keep(chosen);
    }

    /** How the k candidate prefixes of a round are scored. */
    private interface CandidateScorer {
        /** Queues the prefixes ending in each of {@code candidates} for this round's passes. */
        void propose(int[] candidates);

        /** The reward of each proposed prefix, in order; once the round's passes ran. */
        double[] rewards();

        /** The prefix ending in candidate {@code chosen} is the sequence from now on. */
        void keep(int chosen);
    }

    /** A score-head decoder's row forked onto the candidates, stepped in its lane. */
    private static final class IncrementalRows implements CandidateScorer {
        private final RequestContext context;
        private Row scorer;
        private List<Row> scored;

        IncrementalRows(RequestContext context, Row scorer) {
            this.context = context;
            this.scorer = scorer;
        }

        @Override
        public void propose(int[] candidates) {
            scored = scorer.fork(TopCandidates.asTokens(candidates));
        }

        @Override
        public double[] rewards() {
            double[] rewards = new double[scored.size()];
            for (int i = 0; i < rewards.length; i++) {
                rewards[i] = scored.get(i).score();
            }
            context.countRewardScores(rewards.length);
            return rewards;
        }

        @Override
        public void keep(int chosen) {
            for (int i = 0; i < scored.size(); i++) {
                if (i != chosen) {
                    scored.get(i).release();
                }
            }
            scorer = scored.get(chosen);
        }
    }

    /** Whole sequences scored by a sequence reward model in the round's scoring phase (which counts them). */
    private static final class WholeSequences implements CandidateScorer {
        private final RequestContext context;
        private final NamedRewardModel model;
        private long[] prefix;
        private int[] candidates;
        private ScoreTicket ticket;

        WholeSequences(RequestContext context, NamedRewardModel model) {
            this.context = context;
            this.model = model;
            this.prefix = context.promptIds();
        }

        @Override
        public void propose(int[] proposed) {
            candidates = proposed;
            List<long[]> sequences = new ArrayList<>(proposed.length);
            for (int candidate : proposed) {
                long[] sequence = Arrays.copyOf(prefix, prefix.length + 1);
                sequence[prefix.length] = candidate;
                sequences.add(sequence);
            }
            ticket = context.score(model, sequences);
        }

        @Override
        public double[] rewards() {
            if (!ticket.ready()) {
                throw new IllegalStateException("the scores of '" + model.name()
                        + "' were not in at the end of the round: the scheduler scores before endRound");
            }
            return Candidate.scores(ticket.scores());
        }

        @Override
        public void keep(int chosen) {
            prefix = Arrays.copyOf(prefix, prefix.length + 1);
            prefix[prefix.length - 1] = candidates[chosen];
        }
    }
}
