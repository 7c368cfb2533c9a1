package dev.trimtab.decoding.strategy.specrej;

import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.Choice;
import dev.trimtab.decoding.strategy.PromptFork;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.ScoreTicket;
import dev.trimtab.decoding.strategy.StepDecoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Best-of-N's decoder with decision points. The prompt row is prefilled once and forked into one
 * row per candidate; each candidate samples with its own seed, drawn as best-of-N draws them (so
 * that without rejection both decode the same tokens). Every {@code decision_tokens} rounds the
 * open candidates are valued ({@link PartialValues}) at the round's end and all but the best {@code
 * max(1, round((1 − α)·m))} of the m open ones release their rows before the next pass (in the tree
 * variant, forked to children of the kept ones instead). When none is open, the survivors are scored
 * together in the round's scoring phase and the best is streamed.
 */
final class SpeculativeRejectionDecoder implements StepDecoder {
    private static final Comparator<Trajectory> BEST_FIRST =
            Comparator.comparingDouble((Trajectory t) -> -t.value()).thenComparingInt(Trajectory::index);

    private final RequestContext context;
    private final SpeculativeRejectionParams params;
    private final List<Trajectory> trajectories = new ArrayList<>();
    private final SplittableRandom random;
    private final PartialValues partial;
    private Row prompt;
    private ScoreTicket ticket;
    private int generated;
    private boolean deciding;

    SpeculativeRejectionDecoder(RequestContext context, SpeculativeRejectionParams params) {
        this.context = context;
        this.params = params;
        this.random = new SplittableRandom(context.seed()).split();
        for (int i = 0; i < params.n(); i++) {
            trajectories.add(
                    new Trajectory(i, context, context.newSequence(i == 0 ? context.seed() : random.nextLong())));
        }
        this.prompt = context.openBase();
        this.partial = PartialValues.of(context, params);
    }

    @Override
    public void afterBase() {
        if (ticket != null) {
            return;
        }
        List<Trajectory> drawing = open();
        boolean first = prompt != null;
        if (first) {
            forkPrompt(drawing);
        } else {
            drawing.forEach(Trajectory::next);
        }
        generated++;
        context.countCandidates(drawing.size());
        List<Trajectory> open = open();
        deciding = params.rejects() && generated % params.decisionTokens() == 0 && open.size() > 1;
        partial.afterDraw(open, first, deciding);
        if (open.isEmpty()) {
            ticket = context.score(context.plan().rewardModels().get(0), finishedSequences());
        }
    }

    /** Every candidate's first token comes from the one prefill; the prompt row is copied to the unfinished. */
    private void forkPrompt(List<Trajectory> drawing) {
        PromptFork.fork(prompt, drawing);
        prompt = null;
    }

    @Override
    public void endRound() {
        if (ticket != null) {
            if (ticket.ready()) {
                choose(ticket.scores());
            }
            return;
        }
        List<Trajectory> open = open();
        partial.endRound(open, deciding);
        if (deciding) {
            reject(open);
        }
    }

    /**
     * Keeps the best {@code max(1, round((1 − α)·m))} of the m open candidates (Sun et al., Algorithm
     * 1); in the tree variant the kept ones branch into the rows the others leave.
     */
    private void reject(List<Trajectory> open) {
        int keep = Math.max(1, (int) Math.round((1 - params.rejectionRate()) * open.size()));
        List<Trajectory> ranked = new ArrayList<>(open);
        ranked.sort(BEST_FIRST);
        ranked.subList(keep, ranked.size()).forEach(Trajectory::reject);
        if (params.tree()) {
            branch(ranked.subList(0, keep), open.size() - keep);
        }
    }

    /** Hands {@code rows} children to {@code kept}, one at a time from the best down, round after round. */
    private void branch(List<Trajectory> kept, int rows) {
        for (int i = 0; i < kept.size(); i++) {
            int children = rows / kept.size() + (i < rows % kept.size() ? 1 : 0);
            long[] seeds = new long[children];
            for (int k = 0; k < children; k++) {
                seeds[k] = random.nextLong();
            }
            trajectories.addAll(kept.get(i).branch(seeds, trajectories.size()));
        }
    }

    private List<Trajectory> open() {
        return trajectories.stream().filter(Trajectory::open).toList();
    }

    private List<Trajectory> survivors() {
        return trajectories.stream().filter(Trajectory::survives).toList();
    }

    private List<long[]> finishedSequences() {
        long[] promptIds = context.promptIds();
        return survivors().stream()
                .map(trajectory -> trajectory.finished(promptIds))
                .toList();
    }

    /** The survivor with the highest reward is streamed and returned, as best-of-N's. */
    private void choose(float[] rewards) {
        double[] scores = Candidate.scores(rewards);
        Candidate.finish(
                context,
                survivors().stream().map(Trajectory::sequence).toList(),
                scores,
                Choice.argmax(scores),
                params.returnAll());
    }
}
