package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.Row;
import java.util.ArrayList;
import java.util.List;

/** A row of a {@link Lane}: what {@link Row} promises, with the lane's bookkeeping beside it. */
final class LaneRow implements Row {
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
    private List<LaneRow> successors;

    LaneRow(Lane lane, RequestState owner, long[] prompt) {
        this.lane = lane;
        this.owner = owner;
        this.prompt = prompt;
        this.state = State.PENDING;
        owner.adopt(this);
    }

    private LaneRow(LaneRow parent, long input) {
        this.lane = parent.lane;
        this.owner = parent.owner;
        this.state = State.PENDING;
        this.input = input;
        this.successors = List.of(this);
        owner.adopt(this);
    }

    @Override
    public float[] logits(float[] target) {
        return lane.logits(this).copyRow(readableIndex(), target);
    }

    @Override
    public float logit(int token) {
        return lane.logits(this).get(readableIndex(), token);
    }

    @Override
    public int vocab() {
        return lane.vocab();
    }

    @Override
    public String model() {
        return lane.name();
    }

    @Override
    public void feed(long token) {
        checkLive();
        dropSuccessors();
        input = token;
        successors = List.of(this);
    }

    @Override
    public List<Row> fork(long... tokens) {
        checkLive();
        dropSuccessors();
        List<LaneRow> copies = new ArrayList<>(tokens.length);
        for (long token : tokens) {
            copies.add(new LaneRow(this, token));
        }
        successors = List.copyOf(copies);
        return List.copyOf(copies);
    }

    @Override
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

    @Override
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
            for (LaneRow successor : successors) {
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
    List<LaneRow> successors() {
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
