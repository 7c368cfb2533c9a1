package dev.trimtab.loadtest;

import dev.trimtab.loadtest.run.Runner;

/**
 * Load-tests an OpenAI-compatible completions server in-process:
 *
 * <pre>{@code
 * Report report = LoadTest.run(LoadTestConfig.builder(URI.create("http://127.0.0.1:8000"), "my-model")
 *         .closedLoop(4)
 *         .requests(100)
 *         .build());
 * double p99Ms = report.steps().getFirst().overall().e2e().p99Ms();
 * }</pre>
 */
public final class LoadTest {

    private LoadTest() {}

    /** Runs {@code config} to the end and returns its report; blocks, so never call it on an event loop. */
    public static Report run(LoadTestConfig config) {
        return run(config, ProgressListener.NONE);
    }

    /** As {@link #run(LoadTestConfig)}, with progress snapshots about once a second. */
    public static Report run(LoadTestConfig config, ProgressListener listener) {
        return Runner.run(config, listener);
    }
}
