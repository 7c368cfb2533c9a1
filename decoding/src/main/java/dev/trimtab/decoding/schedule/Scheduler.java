package dev.trimtab.decoding.schedule;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.ModelRole;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyPlan;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Continuous batching of every request on one base model and its auxiliary models, one round at a
 * time. Each model has a lane: one shared batch holding the rows of every request that uses the
 * model. A round admits queued requests, applies cancellations, then runs the lanes in a fixed
 * order, base first, then the auxiliary models in registration order, each at most one step and one
 * prefill; then the sequence reward models, one batch each; and lets each request's {@link
 * StepDecoder} choose its next tokens in between ({@link StepDecoder#afterBase}, {@link
 * StepDecoder#endRound}). Rows join and leave between rounds, each with its own strategy and
 * sampling parameters.
 *
 * <p>Prefill shares each round with decoding under a token budget ({@link
 * SchedulerSettings#maxPrefillTokens}): prompts that fit in what is left of it are prefilled whole
 * by the lanes; a longer prompt is {@linkplain StagedPrompt staged}, a chunk per round, oldest
 * first, and its strategy starts in the round its last chunk runs. The running requests thus step
 * every round, whatever arrives. While no request decodes, a round may prefill {@link
 * #IDLE_BUDGET_FACTOR} times the budget: no stream waits on it then.
 *
 * <p>Threads: {@link #submit} and {@link RequestHandle#cancel} may be called from any thread; {@link
 * #runRound}, {@link #awaitWork} and {@link #close} from the one thread that owns the scheduler (and
 * with it the models' sessions), typically in a loop: {@code while (open) { if
 * (scheduler.awaitWork(timeout)) scheduler.runRound(); }}.
 */
public final class Scheduler implements AutoCloseable {
    /** How many times the round's prefill budget a round may prefill while no request decodes. */
    static final int IDLE_BUDGET_FACTOR = 4;

    private final AlignmentModels models;
    private final SchedulerSettings settings;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ArrayDeque<Pending> taken = new ArrayDeque<>();
    private final List<RequestState> active = new ArrayList<>();
    private final List<StagedPrompt> staged = new ArrayList<>();
    private final List<PendingScores> tickets = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong passIds = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private final SplittableRandom seeds = new SplittableRandom();
    private volatile int runningRequests;
    private volatile int runningRows;
    private volatile boolean closed;

    /** A request as submitted, checked and planned, waiting for admission. */
    private record Pending(
            RequestHandle handle, DecodeRequest request, DecodeListener listener, StrategyPlan plan, int limit) {}

    public Scheduler(AlignmentModels models, SchedulerSettings settings) {
        this.models = Objects.requireNonNull(models, "models");
        this.settings = Objects.requireNonNull(settings, "settings");
        addLane(models.baseName(), ModelRole.BASE, models.base().decoder());
        models.decoders().values().forEach(model -> addLane(model.name(), model.role(), model.decoder()));
    }

    private void addLane(String name, ModelRole role, DecoderModel model) {
        if (lanes.containsKey(name)) {
            throw new IllegalArgumentException("model name '" + name + "' names two decoders; lanes need unique names");
        }
        lanes.put(name, new Lane(name, role, model, passIds::incrementAndGet));
    }

    public AlignmentModels models() {
        return models;
    }

    /**
     * Checks and queues a request; any thread. The request is admitted at a later round.
     *
     * @throws InvalidRequestException naming the field when the strategy names an unknown model or
     *     one of the wrong kind, a prompt id is outside a model's vocabulary, the prompt leaves no
     *     room in a model's context, or the request needs more rows than the scheduler runs
     * @throws IllegalStateException if the scheduler is closed
     */
    public RequestHandle submit(DecodeRequest request, DecodeListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("the scheduler of '" + models.baseName() + "' is closed");
        }
        StrategyPlan plan = request.strategy().plan(models);
        if (request.strategy().switchedOff()) {
            plan = StrategyPlan.baseOnly(1);
        }
        int limit = SubmitChecks.tokenLimit(models, request, plan);
        SubmitChecks.promptIds(models, request, plan);
        if (plan.baseRows() > settings.maxRunningRows()) {
            throw new InvalidRequestException(
                    InvalidRequestException.Code.OVER_LIMIT,
                    plan.rowsField(),
                    "the request needs " + plan.baseRows() + " rows, more than the scheduler runs at once ("
                            + settings.maxRunningRows() + ")");
        }
        RequestHandle handle = new RequestHandle(ids.incrementAndGet());
        waiting.incrementAndGet();
        queue.add(new Pending(handle, request, listener, plan, limit));
        return handle;
    }

    /**
     * Waits until there is work (a running or queued request) or {@code timeout} passes; returns
     * whether there is. Scheduler thread.
     */
    public boolean awaitWork(Duration timeout) throws InterruptedException {
        if (hasWork()) {
            return true;
        }
        Pending next = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next != null) {
            taken.addLast(next);
        }
        return next != null;
    }

    /** Whether a request is running or queued; any thread. */
    public boolean hasWork() {
        return runningRequests > 0 || waiting.get() > 0;
    }

    /** Requests queued, not yet admitted; any thread. */
    public int waitingRequests() {
        return waiting.get();
    }

    /** Requests admitted and not yet finished; any thread. */
    public int runningRequests() {
        return runningRequests;
    }

    /** Base-lane rows the running requests may hold; any thread. */
    public int runningRows() {
        return runningRows;
    }

    /**
     * Runs one round: admission, cancellations, every lane's pass, scoring, and each request's
     * choice of its next tokens. Failures are the requests' (their listeners' {@code onError}),
     * never the caller's. Returns whether work remains.
     */
    public boolean runRound() {
        if (closed) {
            throw new IllegalStateException("the scheduler of '" + models.baseName() + "' is closed");
        }
        admit();
        cancelRequested();
        Lane base = lanes.get(models.baseName());
        advance(base);
        forEachRunning(StepDecoder::afterBase);
        for (Lane lane : lanes.values()) {
            if (lane != base) {
                advance(lane);
            }
        }
        lanes.values().forEach(Lane::dropHeld);
        scoreSequences();
        forEachRunning(StepDecoder::endRound);
        retire();
        return hasWork();
    }

    Lane lane(String name) {
        return lanes.get(name);
    }

    void queueScores(PendingScores ticket) {
        tickets.add(ticket);
    }

    private void admit() {
        int roundBudget = roundPrefillBudget();
        int budget = roundBudget - advanceStaged(roundBudget);
        int rows = runningRows;
        Pending next;
        while ((next = peek()) != null) {
            if (next.handle().cancelled()) {
                take();
                safely(next.listener(), listener -> listener.onCancel(new UsageMeter().snapshot()));
                continue;
            }
            boolean idle = active.isEmpty() && staged.isEmpty();
            if (rows + next.plan().baseRows() > settings.maxRunningRows() && !idle) {
                break;
            }
            int length = next.request().promptLength();
            if (length > budget && budget < 1) {
                break;
            }
            take();
            rows += next.plan().baseRows();
            RequestState state = admitted(next);
            if (length <= budget || !state.running()) {
                budget -= Math.min(length, budget);
                start(state);
            } else {
                budget -= stage(state, budget);
            }
        }
        updateGauges();
    }

    /**
     * The prompt tokens this round may prefill: {@link SchedulerSettings#maxPrefillTokens}, or {@link
     * #IDLE_BUDGET_FACTOR} times it while no request decodes, as no stream then waits on the
     * prefill: a burst of requests reaching an idle scheduler is prefilled in one pass instead of
     * a budget's worth per round.
     */
    private int roundPrefillBudget() {
        long budget = settings.maxPrefillTokens();
        if (active.isEmpty()) {
            budget *= IDLE_BUDGET_FACTOR;
        }
        return (int) Math.min(budget, Integer.MAX_VALUE);
    }

    /**
     * Runs up to {@code budget} tokens of the staged prompts, oldest first, and starts the requests
     * whose prompt has run whole; returns the tokens run.
     */
    private int advanceStaged(int budget) {
        int used = 0;
        List<StagedPrompt> done = new ArrayList<>();
        for (StagedPrompt prompt : staged) {
            if (used < budget) {
                used += runChunk(prompt, budget - used);
            }
            if (!prompt.owner().running() || prompt.remaining() == 0) {
                done.add(prompt);
            }
        }
        staged.removeAll(done);
        for (StagedPrompt prompt : done) {
            if (prompt.owner().running()) {
                prompt.handOver();
                start(prompt.owner());
            }
        }
        return used;
    }

    /** Stages a prompt longer than the round's remaining budget and runs its first chunk; returns its tokens. */
    private int stage(RequestState state, int budget) {
        List<Lane> used = new ArrayList<>();
        used.add(lanes.get(models.baseName()));
        state.plan().lanes().forEach(model -> used.add(lanes.get(model.name())));
        StagedPrompt prompt;
        try {
            prompt = StagedPrompt.of(state, used);
        } catch (OrtException | RuntimeException e) {
            fail(state, e);
            return 0;
        }
        staged.add(prompt);
        return runChunk(prompt, budget);
    }

    private int runChunk(StagedPrompt prompt, int tokens) {
        try {
            return prompt.advance(tokens, passIds::incrementAndGet);
        } catch (OrtException | RuntimeException e) {
            prompt.close();
            fail(prompt.owner(), e);
            return 0;
        }
    }

    private Pending peek() {
        return taken.isEmpty() ? queue.peek() : taken.peekFirst();
    }

    private void take() {
        if (taken.pollFirst() == null) {
            queue.poll();
        }
        waiting.decrementAndGet();
    }

    /** The record of an admitted request; its listener told. */
    private RequestState admitted(Pending pending) {
        long seed = pending.request().sampling().seed().orElseGet(seeds::nextLong);
        RequestState state = new RequestState(
                pending.handle(), pending.request(), pending.listener(), pending.plan(), pending.limit(), seed);
        try {
            pending.listener().onStart();
        } catch (RuntimeException e) {
            fail(state, e);
        }
        return state;
    }

    /** Starts the strategy of an admitted request: it opens its rows, which the lanes prefill this round. */
    private void start(RequestState state) {
        active.add(state);
        if (!state.running()) {
            return;
        }
        try {
            AlignmentStrategy strategy = state.request().strategy();
            SchedulerContext context = new SchedulerContext(state, this);
            state.decoder(strategy.switchedOff() ? PlainSampling.INSTANCE.start(context) : strategy.start(context));
        } catch (RuntimeException e) {
            fail(state, e);
        }
    }

    private void cancelRequested() {
        for (StagedPrompt prompt : staged) {
            cancelIfAsked(prompt.owner());
            if (!prompt.owner().running()) {
                prompt.close();
            }
        }
        staged.removeIf(prompt -> !prompt.owner().running());
        for (RequestState state : active) {
            cancelIfAsked(state);
        }
    }

    private void cancelIfAsked(RequestState state) {
        if (state.running() && state.handle().cancelled() && state.end(RequestState.Outcome.CANCELLED)) {
            safely(state.listener(), listener -> listener.onCancel(state.usage().snapshot()));
        }
    }

    private void advance(Lane lane) {
        if (lane.idle()) {
            return;
        }
        try {
            for (RequestState stalled : lane.advance()) {
                fail(
                        stalled,
                        new IllegalStateException(
                                "strategy '" + stalled.request().strategy().name() + "' gave a row of '" + lane.name()
                                        + "' no input for its step"));
            }
        } catch (OrtException | RuntimeException e) {
            for (RequestState owner : lane.reset()) {
                fail(owner, e);
            }
        }
    }

    private void forEachRunning(Consumer<StepDecoder> phase) {
        for (RequestState state : active) {
            if (state.running()) {
                try {
                    phase.accept(state.decoder());
                } catch (RuntimeException e) {
                    fail(state, e);
                }
            }
        }
    }

    /** One batch per sequence reward model with every request's sequences of this round. */
    private void scoreSequences() {
        Map<NamedRewardModel, List<PendingScores>> byModel = new LinkedHashMap<>();
        for (PendingScores ticket : tickets) {
            if (ticket.owner().running()) {
                byModel.computeIfAbsent(ticket.model(), model -> new ArrayList<>())
                        .add(ticket);
            }
        }
        tickets.clear();
        byModel.forEach(this::score);
    }

    private void score(NamedRewardModel model, List<PendingScores> batch) {
        List<long[]> sequences = new ArrayList<>();
        batch.forEach(ticket -> sequences.addAll(ticket.sequences()));
        try {
            long start = System.nanoTime();
            float[] scores = model.model().score(sequences);
            if (scores.length != sequences.size()) {
                throw new IllegalStateException("reward model '" + model.name() + "' returned " + scores.length
                        + " scores for " + sequences.size() + " sequences");
            }
            SequenceScoring.distribute(model, batch, scores, System.nanoTime() - start, passIds.incrementAndGet());
        } catch (OrtException | RuntimeException e) {
            batch.forEach(ticket -> fail(ticket.owner(), e));
        }
    }

    private void fail(RequestState state, Exception error) {
        if (state.end(RequestState.Outcome.FAILED)) {
            safely(state.listener(), listener -> listener.onError(error));
        }
    }

    /** Listener calls outside a request's decoder: a throwing listener must not stop the round. */
    private static void safely(DecodeListener listener, Consumer<DecodeListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException ignored) {
            // The request has ended already; there is no one left to tell.
        }
    }

    private void retire() {
        active.removeIf(state -> !state.running());
        for (Lane lane : lanes.values()) {
            lane.closeIfAllReleased();
        }
        updateGauges();
    }

    private void updateGauges() {
        runningRequests = active.size() + staged.size();
        runningRows = active.stream().mapToInt(state -> state.plan().baseRows()).sum()
                + staged.stream()
                        .mapToInt(prompt -> prompt.owner().plan().baseRows())
                        .sum();
    }

    /**
     * Cancels every running and queued request (their listeners' {@code onCancel}) and frees every
     * lane's tensors. Scheduler thread; the models stay open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (StagedPrompt prompt : staged) {
            prompt.close();
            active.add(prompt.owner());
        }
        staged.clear();
        for (RequestState state : active) {
            if (state.end(RequestState.Outcome.CANCELLED)) {
                safely(
                        state.listener(),
                        listener -> listener.onCancel(state.usage().snapshot()));
            }
        }
        active.clear();
        Pending next;
        while ((next = peek()) != null) {
            take();
            safely(next.listener(), listener -> listener.onCancel(new UsageMeter().snapshot()));
        }
        lanes.values().forEach(Lane::close);
        updateGauges();
    }
}
