package dev.trimtab.decoding.strategy.specrej;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.strategy.PromptFork;
import dev.trimtab.decoding.strategy.RecordedSequence;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One candidate: its sequence, its base row and the row of its partial scorer (if it has one), its
 * value at the last decision point, and its tokens with their text, kept until it is chosen.
 */
final class Trajectory implements PromptFork.Branch {
    private final int index;
    private final RequestContext context;
    private final RecordedSequence sequence;
    private Row row;
    private Row partialRow;
    private double value;
    private boolean rejected;

    Trajectory(int index, RequestContext context, Sequence sequence) {
        this.index = index;
        this.context = context;
        this.sequence = new RecordedSequence(context, sequence);
    }

    @Override
    public long draw(Row from) {
        return sequence.draw(from);
    }

    /** Samples the next token from this candidate's row and feeds it, or frees its rows when it has ended. */
    void next() {
        long token = draw(row);
        if (sequence.finished()) {
            release();
        } else {
            row.feed(token);
        }
    }

    /**
     * The tree variant's branching: this candidate's rows are forked into its own and one per child,
     * each stepping the token this candidate was last fed, so that the children share its KV cache;
     * child k samples on from its copy of this candidate's sequence with {@code seeds[k]}.
     */
    List<Trajectory> branch(long[] seeds, int firstIndex) {
        long[] tokenCopies = new long[seeds.length + 1];
        Arrays.fill(tokenCopies, lastToken());
        List<Row> rows = row.fork(tokenCopies);
        List<Row> partialRows = partialRow == null ? null : partialRow.fork(tokenCopies);
        row = rows.get(0);
        partialRow = partialRows == null ? null : partialRows.get(0);
        List<Trajectory> children = new ArrayList<>(seeds.length);
        for (int k = 0; k < seeds.length; k++) {
            Trajectory child = new Trajectory(firstIndex + k, context, context.newSequence(seeds[k]));
            child.follow(this);
            child.row = rows.get(k + 1);
            child.partialRow = partialRows == null ? null : partialRows.get(k + 1);
            children.add(child);
        }
        return children;
    }

    /** Takes {@code parent}'s tokens, text and value as its own. */
    private void follow(Trajectory parent) {
        sequence.continueFrom(parent.sequence);
        value = parent.value;
    }

    /** Stops this candidate for good: it is not scored at the end. */
    void reject() {
        rejected = true;
        release();
    }

    private void release() {
        if (row != null) {
            row.release();
        }
        if (partialRow != null) {
            partialRow.release();
        }
    }

    /** Whether it still generates: neither finished nor rejected. */
    @Override
    public boolean open() {
        return !rejected && !sequence.finished();
    }

    /** Whether it takes part in the final choice: not rejected (and, once all are done, finished). */
    boolean survives() {
        return !rejected;
    }

    int index() {
        return index;
    }

    long lastToken() {
        return sequence.lastToken();
    }

    /** The prompt followed by the tokens generated so far. */
    long[] prefix(long[] prompt) {
        return sequence.prefix(prompt);
    }

    /** The prompt followed by the finished completion (an end-of-sequence token left out). */
    long[] finished(long[] prompt) {
        return sequence.scored(prompt);
    }

    RecordedSequence sequence() {
        return sequence;
    }

    Completion completion() {
        return sequence.completion();
    }

    Row row() {
        return row;
    }

    @Override
    public void continueOn(Row value) {
        row = value;
    }

    Row partialRow() {
        return partialRow;
    }

    void partialRow(Row value) {
        partialRow = value;
    }

    double value() {
        return value;
    }

    void value(double newValue) {
        value = newValue;
    }

    /** Emits its tokens, once chosen. */
    void replay() {
        sequence.replay();
    }
}
