package dev.trimtab.decoding.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * A request's handle on one row of one model's lane: the row's KV cache lives in the lane's shared
 * batch, the handle reads its logits and says what the row takes next. Inputs take effect at the
 * lane's next forward pass; until then the latest call wins. Only the scheduler thread uses rows.
 *
 * <p>A row opened with a prompt is prefilled at its lane's next pass. If it has been given its
 * next input by then ({@link #feed}, {@link #fork}), the prompt is prefilled and the input stepped
 * in the same pass, and only the step's logits are readable (scorer rows); otherwise the prompt's
 * own next-token logits are readable after the pass, and the row steps at the lane's following pass.
 */
public final class Row {
    enum State {
        PENDING,
        ARRIVED,
        RUNNING,
        RELEASED
    }

    private final Lane lane;
    private final RequestState owner;
    private State state;
    private long[] prompt;
    private int index = -1;
    private long input;
    /** The rows that continue this one at the next pass: itself (feed), copies (fork), none (release). */
    private List<Row> successors;

    Row(Lane lane, RequestState owner, long[] prompt) {
        this.lane = lane;
        this.owner = owner;
        this.prompt = prompt;
        this.state = State.PENDING;
        owner.adopt(this);
    }

    private Row(Row parent, long input) {
        this.lane = parent.lane;
        this.owner = parent.owner;
        this.state = State.PENDING;
        this.input = input;
        this.successors = List.of(this);
        owner.adopt(this);
    }

    /** Copies this row's logits after its lane's last pass into {@code target} (length >= {@link #vocab()}). */
    public float[] logits(float[] target) {
        return lane.logits(this).copyRow(readableIndex(), target);
    }

    /** This row's logit of {@code token} after its lane's last pass. */
    public float logit(int token) {
        return lane.logits(this).get(readableIndex(), token);
    }

    /** The score of a score-head row: the value of its prefix, every token fed so far included. */
    public float score() {
        return logit(0);
    }

    /** Width of this row's logits (1 for a score head). */
    public int vocab() {
        return lane.vocab();
    }

    /** The name of the model this row belongs to. */
    public String model() {
        return lane.name();
    }

    /** Steps {@code token} at the lane's next pass. */
    public void feed(long token) {
        checkLive();
        dropSuccessors();
        input = token;
        successors = List.of(this);
    }

    /**
     * Replaces this row at the lane's next pass by {@code tokens.length} copies of its cache, copy
     * {@code i} stepping {@code tokens[i]}: one prefill shared N ways, or k candidates scored in one
     * batch. This handle is released; use the returned ones.
     */
    public List<Row> fork(long... tokens) {
        checkLive();
        dropSuccessors();
        List<Row> copies = new ArrayList<>(tokens.length);
        for (long token : tokens) {
            copies.add(new Row(this, token));
        }
        successors = List.copyOf(copies);
        return successors;
    }

    /** Drops this row from its lane at the next pass; safe to call more than once. */
    public void release() {
        if (state == State.RELEASED) {
            return;
        }
        dropSuccessors();
        successors = List.of();
        if (state == State.PENDING && prompt == null) {
            state = State.RELEASED; // a copy that never reached the batch
        }
    }

    /** Whether the row is still in (or on its way to) its lane and not released. */
    public boolean live() {
        return state != State.RELEASED && (successors == null || successors.contains(this));
    }

    private void checkLive() {
        if (!live()) {
            throw new IllegalStateException("row of model '" + lane.name() + "' was released or forked");
        }
    }

    private void dropSuccessors() {
        if (successors != null) {
            for (Row successor : successors) {
                if (successor != this) {
                    successor.state = State.RELEASED;
                }
            }
        }
        successors = null;
    }

    private int readableIndex() {
        if (state != State.ARRIVED && state != State.RUNNING) {
            throw new IllegalStateException("row of model '" + lane.name() + "' has no logits: it is "
                    + state.name().toLowerCase());
        }
        return index;
    }

    // Lane bookkeeping.

    State state() {
        return state;
    }

    RequestState owner() {
        return owner;
    }

    long[] prompt() {
        return prompt;
    }

    long input() {
        return input;
    }

    /** The rows that continue this one, or null when it was given no input. */
    List<Row> successors() {
        return successors;
    }

    /** After a pass: this row holds position {@code newIndex} of the batch in {@code newState}. */
    void placed(State newState, int newIndex) {
        state = newState;
        index = newIndex;
        prompt = null;
        successors = null;
    }

    /** Removed from the lane: released, replaced by copies, or never prefilled. */
    void retire() {
        state = State.RELEASED;
        index = -1;
        prompt = null;
    }
}
