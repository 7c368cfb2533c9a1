package dev.trimtab.decoding.strategy.cd;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.Choice;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.ScoreTicket;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Blockwise controlled decoding: K continuations sample M tokens each from the base, in K base rows
 * forked from one. With a prefix scorer (a score-head decoder), K scorer rows follow them token by
 * token, so that each block's values are read without rescoring; with a sequence reward model, the
 * K whole sequences (prompt, committed text, block) are scored in one batch in the scoring phase of
 * the round in which the last continuation closes. At the block's end the continuation with the
 * highest value is committed (streamed), and the next block forks from it. A continuation that
 * samples end-of-sequence stops early, with its value at that point.
 */
final class BlockwiseCdDecoder implements StepDecoder {
    private final RequestContext context;
    private final Sequence sequence;
    private final List<Continuation> continuations;
    private final int maxBlock;
    /** The sequence reward model, when the scorer is one (no scorer rows then). */
    private final Optional<NamedRewardModel> rewardModel;

    private Row blockBase;
    /** The scorer's row at the block's start; null with a sequence reward model. */
    private Row blockScorer;

    private boolean blockStart = true;
    private long[] committed;
    private ScoreTicket ticket;

    BlockwiseCdDecoder(RequestContext context, ControlledDecodingParams params) {
        this.context = context;
        this.sequence = context.newSequence();
        this.maxBlock = params.blockLength();
        this.blockBase = context.openBase();
        StrategyPlan plan = context.plan();
        this.rewardModel =
                plan.lanes().isEmpty() ? Optional.of(plan.rewardModels().get(0)) : Optional.empty();
        this.blockScorer =
                plan.lanes().isEmpty() ? null : context.open(plan.lanes().get(0));
        this.committed = context.promptIds();
        SplittableRandom seeds = new SplittableRandom(context.seed()).split();
        Continuation[] created = new Continuation[params.candidates()];
        for (int i = 0; i < created.length; i++) {
            created[i] = new Continuation(context, i == 0 ? context.seed() : seeds.nextLong(), maxBlock);
        }
        this.continuations = List.of(created);
    }

    @Override
    public void afterBase() {
        if (blockStart) {
            startBlock();
        } else {
            for (Continuation continuation : continuations) {
                if (continuation.open()) {
                    continuation.step();
                }
            }
        }
        if (rewardModel.isPresent() && continuations.stream().noneMatch(Continuation::open)) {
            ticket = context.score(
                    rewardModel.get(),
                    continuations.stream()
                            .map(continuation -> continuation.appendedTo(committed))
                            .toList());
        }
    }

    /** Every continuation draws its first token from the block's start and forks both rows onto it. */
    private void startBlock() {
        int length = Math.min(maxBlock, sequence.remaining());
        long[] firsts = new long[continuations.size()];
        for (int i = 0; i < firsts.length; i++) {
            firsts[i] = continuations.get(i).begin(sequence.history(), length, blockBase);
        }
        List<Row> bases = blockBase.fork(firsts);
        List<Row> scorers = blockScorer == null ? null : blockScorer.fork(firsts);
        for (int i = 0; i < firsts.length; i++) {
            continuations.get(i).attach(bases.get(i), scorers == null ? null : scorers.get(i));
        }
        blockStart = false;
    }

    @Override
    public void endRound() {
        if (rewardModel.isPresent()) {
            if (ticket != null) {
                float[] values = ticket.scores();
                ticket = null;
                for (int i = 0; i < values.length; i++) {
                    continuations.get(i).value(values[i]);
                }
                commit(continuations.get(Choice.argmax(Candidate.scores(values))));
            }
            return;
        }
        int scored = 0;
        for (Continuation continuation : continuations) {
            scored += continuation.readScore() ? 1 : 0;
        }
        context.countRewardScores(scored);
        if (continuations.stream().noneMatch(Continuation::open)) {
            double[] values =
                    continuations.stream().mapToDouble(Continuation::value).toArray();
            commit(continuations.get(Choice.argmax(values)));
        }
    }

    /** Streams the winner's block; the next block forks from its rows. */
    private void commit(Continuation winner) {
        committed = winner.appendedTo(committed);
        for (int i = 0; i < winner.length(); i++) {
            long token = winner.token(i);
            context.emit(token, sequence.accept(token), winner.logprobs(i));
            if (sequence.finished()) {
                context.finish(sequence.completion());
                return;
            }
        }
        for (Continuation continuation : continuations) {
            if (continuation != winner) {
                continuation.release();
            }
        }
        blockBase = winner.base();
        blockScorer = winner.scorer();
        blockStart = true;
    }
}
