package dev.trimtab.training.cli;

import dev.trimtab.training.task.DemoTask;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train demo-data --out DIR}: writes the demo task's JSONL files. */
@Command(
        name = "demo-data",
        mixinStandardHelpOptions = true,
        description = "Writes the demo task (film and product reviews from the project's grammar) as JSONL:"
                + " sft-train, sft-heldout, prompts and eval-prompts.")
final class DemoDataCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "The directory to write into.")
    Path out;

    @Option(names = "--train", defaultValue = "4000", description = "Training examples (default ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--heldout", defaultValue = "300", description = "Held-out examples (default ${DEFAULT-VALUE}).")
    int heldout;

    @Option(names = "--prompts", defaultValue = "1000", description = "Sampling prompts (default ${DEFAULT-VALUE}).")
    int prompts;

    @Option(
            names = "--eval-prompts",
            defaultValue = "200",
            description = "Evaluation prompts (default ${DEFAULT-VALUE}).")
    int evalPrompts;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        DemoTask.write(out, train, heldout, prompts, evalPrompts, seed);
        System.out.println("wrote " + out.resolve(DemoTask.SFT_TRAIN) + " and three more files");
        return 0;
    }
}
