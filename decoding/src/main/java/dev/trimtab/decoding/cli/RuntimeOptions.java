package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.engine.SessionSettings;
import picocli.CommandLine.Option;

/** ONNX Runtime options shared by the commands that run a model. */
final class RuntimeOptions {
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0: one per core).")
    int threads;

    @Option(names = "--provider", defaultValue = "CPU", description = "CPU or CUDA (default ${DEFAULT-VALUE}).")
    SessionSettings.ExecutionProvider provider;

    @Option(names = "--device", defaultValue = "0", description = "CUDA device id (default ${DEFAULT-VALUE}).")
    int device;

    @Option(
            names = "--spinning",
            description = "Let idle ONNX Runtime threads spin between operators (default: off; see the README).")
    boolean spinning;

    SessionSettings settings() {
        SessionSettings settings =
                SessionSettings.DEFAULT.withThreads(threads, 0).withSpinning(spinning);
        return provider == SessionSettings.ExecutionProvider.CUDA ? settings.withCuda(device) : settings;
    }
}
