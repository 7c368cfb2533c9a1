package dev.trimtab.loadtest;

/** Receives progress snapshots on the load generator's event loop: return quickly, never block. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = progress -> {};

    void onProgress(Progress progress);
}
