package dev.trimtab.server.http;

import dev.trimtab.server.api.ApiException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bounded pool that renders chat templates, tokenizes prompts and submits requests, so that the
 * event loops never encode text: a megabyte prompt takes seconds to encode, and on an event loop
 * it would stall every connection of that loop, {@code /health} included. Beyond its queue a
 * request gets 429 at once.
 */
final class PromptWorkers implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param threads workers (the tokenizer is native and runs one encoding per thread)
     * @param queue requests waiting for a worker before further ones get 429
     */
    PromptWorkers(int threads, int queue) {
        AtomicInteger ids = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), task -> Thread.ofPlatform()
                        .name("trimtab-prompt-" + ids.incrementAndGet())
                        .daemon(true)
                        .unstarted(task));
    }

    /** Runs {@code work} on a worker; fails with a 429 {@link ApiException} when the queue is full. */
    <T> CompletableFuture<T> run(Supplier<T> work) {
        inFlight.incrementAndGet();
        try {
            return CompletableFuture.supplyAsync(work, pool)
                    .whenComplete((result, error) -> inFlight.decrementAndGet());
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new ApiException(
                    429,
                    "rate_limit_error",
                    null,
                    "prompt_queue_full",
                    "too many prompts are waiting to be tokenized; retry later"));
        }
    }

    /** Requests being prepared or waiting for a worker. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
