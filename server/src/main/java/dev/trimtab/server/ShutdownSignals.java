package dev.trimtab.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into one orderly shutdown that runs <em>before</em> the JVM starts
 * its own shutdown.
 *
 * <p>Why not a shutdown hook: ONNX Runtime registers a hook of its own that releases its native
 * environment, and the JVM runs hooks concurrently in no set order. A draining hook then races it:
 * the scheduler threads keep calling {@code OrtSession.run} on an environment that is being freed
 * (SIGSEGV, exit 134). With the signal handled here, the JVM's shutdown (and with it ONNX
 * Runtime's release of its environment) begins only once {@code shutdown} has returned: HTTP
 * draining, scheduler threads stopped, sessions closed. The server owns the environment's
 * lifetime that way: nothing native runs when it is released.
 */
final class ShutdownSignals {
    private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");

    private ShutdownSignals() {}

    /**
     * Runs {@code shutdown} on a thread of its own on the first of the signals; later signals are
     * ignored (the shutdown under way ends within its drain time).
     */
    static void install(Runnable shutdown) {
        AtomicBoolean started = new AtomicBoolean();
        for (String name : SIGNALS) {
            Signal.handle(new Signal(name), signal -> {
                if (started.compareAndSet(false, true)) {
                    Thread.ofPlatform().name("trimtab-shutdown").start(shutdown);
                }
            });
        }
    }
}
