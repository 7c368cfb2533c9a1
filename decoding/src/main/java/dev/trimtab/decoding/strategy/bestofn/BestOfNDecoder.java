package dev.trimtab.decoding.strategy.bestofn;

import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.Choice;
import dev.trimtab.decoding.strategy.PromptFork;
import dev.trimtab.decoding.strategy.RecordedSequence;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.ScoreTicket;
import dev.trimtab.decoding.strategy.StepDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The prompt row is prefilled once and forked into one row per candidate with the candidates' first
 * tokens; each candidate samples with its own seed (the first with the request's, so that N = 1 is
 * plain sampling) and leaves the batch when it ends. When all have ended their sequences are scored
 * in the round's scoring phase, and the chosen candidate's tokens are streamed.
 */
final class BestOfNDecoder implements StepDecoder {
    private final RequestContext context;
    private final BestOfNParams params;
    private final List<Sample> samples = new ArrayList<>();
    private final SplittableRandom random;
    private Row prompt;
    private ScoreTicket ticket;

    BestOfNDecoder(RequestContext context, BestOfNParams params) {
        this.context = context;
        this.params = params;
        this.random = new SplittableRandom(context.seed()).split();
        for (int i = 0; i < params.n(); i++) {
            samples.add(new Sample(
                    new RecordedSequence(context, context.newSequence(i == 0 ? context.seed() : random.nextLong()))));
        }
        this.prompt = context.openBase();
    }

    @Override
    public void afterBase() {
        if (ticket != null) {
            return;
        }
        if (prompt != null) {
            forkPrompt();
        } else {
            for (Sample sample : samples) {
                if (!sample.sequence.finished()) {
                    sample.next();
                }
            }
        }
        if (samples.stream().allMatch(sample -> sample.sequence.finished())) {
            ticket = context.score(context.plan().rewardModels().get(0), sequences());
        }
    }

    /** Every candidate's first token comes from the one prefill; the prompt row is copied to the unfinished. */
    private void forkPrompt() {
        PromptFork.fork(prompt, samples);
        prompt = null;
    }

    private List<long[]> sequences() {
        long[] promptIds = context.promptIds();
        return samples.stream().map(sample -> sample.sequence.scored(promptIds)).toList();
    }

    @Override
    public void endRound() {
        if (ticket == null || !ticket.ready()) {
            return;
        }
        double[] scores = Candidate.scores(ticket.scores());
        int chosen = params.tau().isPresent()
                ? Choice.draw(scores, params.tau().getAsDouble(), random)
                : Choice.argmax(scores);
        Candidate.finish(
                context, samples.stream().map(sample -> sample.sequence).toList(), scores, chosen, params.returnAll());
    }

    /** One candidate: its recorded sequence and its row. */
    private static final class Sample implements PromptFork.Branch {
        private final RecordedSequence sequence;
        private Row row;

        Sample(RecordedSequence sequence) {
            this.sequence = sequence;
        }

        @Override
        public long draw(Row from) {
            return sequence.draw(from);
        }

        @Override
        public boolean open() {
            return !sequence.finished();
        }

        @Override
        public void continueOn(Row forked) {
            row = forked;
        }

        /** Samples the next token from this candidate's row and feeds it, or releases the row. */
        void next() {
            long token = sequence.draw(row);
            if (sequence.finished()) {
                row.release();
            } else {
                row.feed(token);
            }
        }
    }
}
