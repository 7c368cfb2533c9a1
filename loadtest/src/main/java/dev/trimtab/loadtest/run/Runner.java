package dev.trimtab.loadtest.run;

import dev.trimtab.loadtest.Load;
import dev.trimtab.loadtest.LoadTestConfig;
import dev.trimtab.loadtest.ProgressListener;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.StepReport;
import dev.trimtab.loadtest.http.CompletionsClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Runs the load levels of a configuration one after another, each on a fresh client, and assembles the report. */
public final class Runner {

    private Runner() {}

    /**
     * Runs {@code config} and blocks until it is done.
     *
     * @throws IllegalStateException if called on a Vert.x event loop, which it would block
     */
    public static Report run(LoadTestConfig config, ProgressListener listener) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("LoadTest.run blocks until the run ends; call it off the event loop");
        }
        String startedAt = Instant.now().toString();
        // One event loop: every timestamp is taken on it, and a load tester must never be the bottleneck of its
        // own figures; a completions stream costs microseconds of parsing per chunk.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            return ReportAssembler.assemble(config, startedAt, runSteps(vertx, config, listener));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static List<StepReport> runSteps(Vertx vertx, LoadTestConfig config, ProgressListener listener) {
        SplittableRandom root = new SplittableRandom(config.seed());
        List<StepReport> steps = new ArrayList<>();
        for (Load load : config.loads()) {
            StepReport step = runStep(vertx, config, load, root.split(), listener);
            steps.add(step);
            if (config.slo().isSet() && !step.sloMet()) {
                break;
            }
        }
        return steps;
    }

    private static StepReport runStep(
            Vertx vertx, LoadTestConfig config, Load load, SplittableRandom random, ProgressListener listener) {
        CompletableFuture<StepReport> result = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.exceptionHandler(result::completeExceptionally);
        context.runOnContext(ignored -> {
            CompletionsClient client = new CompletionsClient(vertx, config.target(), config.maxInFlight(load));
            new StepRunner(vertx, config, load, client, random, listener)
                    .start()
                    .onComplete(done -> client.closeAsync().onComplete(closed -> {
                        if (done.succeeded()) {
                            result.complete(done.result());
                        } else {
                            result.completeExceptionally(done.cause());
                        }
                    }));
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
