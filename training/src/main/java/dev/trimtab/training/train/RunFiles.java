package dev.trimtab.training.train;

import java.nio.file.Path;

/**
 * Where a run keeps its state: {@code checkpoint.bin} (weights, optimizer moments, step),
 * {@code weights.bin} (the final weights, written last: its presence means the run finished),
 * {@code metrics.jsonl} and {@code training.png}.
 */
public record RunFiles(Path directory) {
    public Path checkpoint() {
        return directory.resolve("checkpoint.bin");
    }

    public Path weights() {
        return directory.resolve("weights.bin");
    }

    public Path metrics() {
        return directory.resolve("metrics.jsonl");
    }

    public Path plot() {
        return directory.resolve("training.png");
    }
}
