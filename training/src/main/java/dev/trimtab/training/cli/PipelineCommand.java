package dev.trimtab.training.cli;

import dev.trimtab.training.pipeline.Pipeline;
import dev.trimtab.training.pipeline.Recipe;
import dev.trimtab.training.train.ProgressBar;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train pipeline --recipe FILE}: builds a whole bundle. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Runs a recipe: data, tokenizer, SFT, on-policy sampling, DPO, ARMs, reward models,"
                + " prefix scorers, export and evaluation, into a bundle directory with bundle.json.")
final class PipelineCommand implements Callable<Integer> {
    @Option(names = "--recipe", required = true, description = "The recipe (YAML), e.g. configs/recipes/demo.yaml.")
    Path recipe;

    @Option(names = "--out", description = "The bundle directory (default: models/<recipe name>).")
    Path out;

    @Option(names = "--work", description = "The working directory (default: <out>/.work).")
    Path work;

    @Option(names = "--resume", description = "Continue an interrupted pipeline from its checkpoints.")
    boolean resume;

    @Option(
            names = "--threads",
            description = "libtorch threads (default: one per core). 1 makes a run replay bit for bit: several"
                    + " threads do not add in the same order every run.")
    Integer threads;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            description = "Progress display: auto, bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            // Read by DJL when the PyTorch engine starts, which happens later, at the first model.
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        Recipe parsed = Recipe.read(recipe);
        Path bundle = out != null ? out : Path.of("models", parsed.name());
        Path working = work != null ? work : bundle.resolve(".work");
        Pipeline.run(parsed, new Pipeline.Options(bundle, working, resume, mode(progress), System.out));
        return 0;
    }

    static ProgressBar.Mode mode(String text) {
        return switch (text) {
            case "auto" -> ProgressBar.Mode.auto();
            case "bar" -> ProgressBar.Mode.BAR;
            case "lines" -> ProgressBar.Mode.LINES;
            case "none" -> ProgressBar.Mode.NONE;
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got " + text);
        };
    }
}
