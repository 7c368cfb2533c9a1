package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.ArrayList;
import java.util.List;

/** The scheduler's record of one admitted request: its rows, its decoder, its accounting. */
final class RequestState {
    enum Outcome {
        RUNNING,
        FINISHED,
        CANCELLED,
        FAILED
    }

    private final RequestHandle handle;
    private final DecodeRequest request;
    private final DecodeListener listener;
    private final StrategyPlan plan;
    private final int tokenLimit;
    private final long seed;
    private final UsageMeter usage = new UsageMeter();
    private final List<LaneRow> rows = new ArrayList<>();
    private StepDecoder decoder;
    private Outcome outcome = Outcome.RUNNING;

    RequestState(
            RequestHandle handle,
            DecodeRequest request,
            DecodeListener listener,
            StrategyPlan plan,
            int tokenLimit,
            long seed) {
        this.handle = handle;
        this.request = request;
        this.listener = listener;
        this.plan = plan;
        this.tokenLimit = tokenLimit;
        this.seed = seed;
    }

    RequestHandle handle() {
        return handle;
    }

    DecodeRequest request() {
        return request;
    }

    DecodeListener listener() {
        return listener;
    }

    StrategyPlan plan() {
        return plan;
    }

    int tokenLimit() {
        return tokenLimit;
    }

    long seed() {
        return seed;
    }

    UsageMeter usage() {
        return usage;
    }

    StepDecoder decoder() {
        return decoder;
    }

    void decoder(StepDecoder value) {
        decoder = value;
    }

    boolean running() {
        return outcome == Outcome.RUNNING;
    }

    /** Ends the request (once) and releases every row it holds; false if it had already ended. */
    boolean end(Outcome reason) {
        if (outcome != Outcome.RUNNING) {
            return false;
        }
        outcome = reason;
        rows.forEach(LaneRow::release);
        rows.clear();
        return true;
    }

    void adopt(LaneRow row) {
        if (rows.size() >= 64) {
            rows.removeIf(existing -> existing.state() == LaneRow.State.RELEASED);
        }
        rows.add(row);
    }
}
