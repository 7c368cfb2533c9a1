package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.Load;
import dev.trimtab.loadtest.LoadTestConfig;
import dev.trimtab.loadtest.Outcome;
import dev.trimtab.loadtest.ProgressListener;
import dev.trimtab.loadtest.RequestRecord;
import dev.trimtab.loadtest.StepReport;
import dev.trimtab.loadtest.http.CompletionsClient;
import dev.trimtab.loadtest.http.StreamResult;
import dev.trimtab.loadtest.run.Admission.Verdict;
import dev.trimtab.loadtest.workload.RequestSpec;
import dev.trimtab.loadtest.workload.StrategyMix;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load level on one event loop: schedules requests (arrivals or ready clients), holds them in a FIFO queue
 * while {@code maxInFlight} are out, sends them, and records each from its scheduled time. All state lives on the
 * event loop, so nothing here is shared between threads.
 */
final class StepRunner {

    private static final long PROGRESS_PERIOD_MILLIS = 1000;

    private final Vertx vertx;
    private final LoadTestConfig config;
    private final Load load;
    private final CompletionsClient client;
    private final ProgressListener listener;
    private final SplittableRandom workloadRandom;
    private final SplittableRandom arrivalRandom;
    private final int maxInFlight;
    private final StepRecorder recorder;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Promise<StepReport> finished = Promise.promise();
    private Admission admission;
    private long origin;
    private long nextIndex;
    private int inFlight;
    private int activeSources;
    private boolean dispatching;
    private long progressTimer;

    /** A scheduled request; {@code client} is the closed-loop client that issued it, or -1 in an open loop. */
    private record Pending(RequestSpec spec, long scheduledNanos, boolean warmup, int client) {}

    StepRunner(
            Vertx vertx,
            LoadTestConfig config,
            Load load,
            CompletionsClient client,
            SplittableRandom random,
            ProgressListener listener) {
        this.vertx = vertx;
        this.config = config;
        this.load = load;
        this.client = client;
        this.listener = listener;
        this.workloadRandom = random.split();
        this.arrivalRandom = random.split();
        this.maxInFlight = config.maxInFlight(load);
        this.recorder = new StepRecorder(load, config.slo(), strategies(config), config.keepRequests());
    }

    private static java.util.List<String> strategies(LoadTestConfig config) {
        return config.workload().mix().entries().stream()
                .map(StrategyMix.Entry::name)
                .toList();
    }

    /** Starts the step; call on the event loop the client runs on. */
    Future<StepReport> start() {
        origin = System.nanoTime();
        admission = new Admission(config.length(), origin);
        progressTimer = vertx.setPeriodic(PROGRESS_PERIOD_MILLIS, id -> reportProgress());
        switch (load) {
            case Load.Open open -> {
                activeSources = 1;
                arrive(open, origin);
            }
            case Load.Closed closed -> {
                activeSources = closed.concurrency();
                for (int c = 0; c < closed.concurrency(); c++) {
                    issue(c);
                }
            }
        }
        return finished.future();
    }

    /** Offers every arrival that is due, then sleeps until the next one (a nanosecond timer, never early). */
    private void arrive(Load.Open open, long scheduledNanos) {
        long next = scheduledNanos;
        while (offer(next, -1)) {
            next += open.arrivals().nextGapNanos(open.rate(), arrivalRandom);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                long due = next;
                vertx.timer(wait, TimeUnit.NANOSECONDS).onSuccess(ignored -> arrive(open, due));
                return;
            }
        }
        sourceDone();
    }

    /** A closed-loop client is ready: its next request is scheduled now. */
    private void issue(int clientId) {
        if (!offer(System.nanoTime(), clientId)) {
            sourceDone();
        }
    }

    private boolean offer(long scheduledNanos, int clientId) {
        Verdict verdict = admission.admit(scheduledNanos);
        if (verdict == Verdict.STOP) {
            return false;
        }
        RequestSpec spec = config.workload().request(config.target().model(), nextIndex++, workloadRandom.split());
        queue.add(new Pending(spec, scheduledNanos, verdict == Verdict.WARMUP, clientId));
        dispatch();
        return true;
    }

    private void dispatch() {
        if (dispatching) {
            return; // the outer call's loop picks up what was queued meanwhile
        }
        dispatching = true;
        try {
            while (inFlight < maxInFlight && !queue.isEmpty()) {
                send(queue.poll());
            }
        } finally {
            dispatching = false;
        }
        finishIfDone();
    }

    private void send(Pending pending) {
        long now = System.nanoTime();
        long waited = now - pending.scheduledNanos();
        if (waited > config.target().timeout().toNanos()) {
            complete(
                    pending,
                    new StreamResult(
                            now,
                            new long[0],
                            now,
                            -1,
                            -1,
                            Outcome.failed(
                                    Outcome.Kind.QUEUE_TIMEOUT,
                                    0,
                                    "waited " + waited / 1_000_000 + " ms for one of " + maxInFlight
                                            + " slots (max in flight); never sent")));
            return;
        }
        inFlight++;
        client.send(pending.spec().body(), result -> {
            inFlight--;
            complete(pending, result);
        });
    }

    private void complete(Pending pending, StreamResult result) {
        recorder.record(toRecord(pending, result));
        if (pending.client() >= 0) {
            issue(pending.client());
        }
        dispatch();
    }

    private RequestRecord toRecord(Pending pending, StreamResult result) {
        long[] chunks = result.chunkNanos().clone();
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] -= origin;
        }
        RequestSpec spec = pending.spec();
        return new RequestRecord(
                spec.index(),
                spec.strategy(),
                pending.warmup(),
                spec.maxTokens(),
                pending.scheduledNanos() - origin,
                result.sentNanos() - origin,
                chunks,
                result.endNanos() - origin,
                result.outputTokens(),
                result.promptTokens(),
                result.outcome());
    }

    private void sourceDone() {
        activeSources--;
        finishIfDone();
    }

    private void finishIfDone() {
        if (activeSources == 0
                && inFlight == 0
                && queue.isEmpty()
                && !finished.future().isComplete()) {
            vertx.cancelTimer(progressTimer);
            reportProgress();
            long start = admission.measureStartNanos();
            finished.complete(recorder.report(start < 0 ? -1 : start - origin, origin));
        }
    }

    private void reportProgress() {
        long now = System.nanoTime();
        long start = admission.measureStartNanos();
        double measured = start < 0 ? 0 : (now - start) / 1e9;
        listener.onProgress(recorder.progress(
                (now - origin) / 1e9, measured, nextIndex, inFlight, queue.size(), admission.inWarmup()));
    }
}
