package dev.trimtab.decoding.sampling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;

/**
 * A helper thread for the sampling arithmetic of large vocabularies: the caller computes one half
 * of a softmax's weights while the helper computes the other. One daemon thread for the process;
 * none on a single core, where the halves run one after the other.
 */
final class SamplingThreads {
    /** Vocabularies from this size on are split: below it the hand-over costs more than it saves. */
    static final int PARALLEL_VOCAB = 16_384;

    private static final ExecutorService HELPER = Runtime.getRuntime().availableProcessors() > 1
            ? Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "trimtab-sampling");
                thread.setDaemon(true);
                return thread;
            })
            : null;

    private SamplingThreads() {}

    /** {@code first} on this thread and {@code second} on the helper; returns first + second. */
    static double sumHalves(DoubleSupplier first, DoubleSupplier second) {
        if (HELPER == null) {
            return first.getAsDouble() + second.getAsDouble();
        }
        CompletableFuture<Double> other = CompletableFuture.supplyAsync(second::getAsDouble, HELPER);
        double mine = first.getAsDouble();
        try {
            return mine + other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sampling", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sampling failed", e.getCause());
        }
    }
}
