package dev.trimtab.training.pipeline;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.training.data.DataFormatException;
import dev.trimtab.training.train.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train pipeline}: data, tokenizer, the SFT runs, on-policy sampling and gold labelling,
 * the other runs (DPO, ARMs, reward models, prefix scorers), evaluation, and {@code bundle.json}.
 *
 * <p>Stages keep their state in the working directory. Without {@code resume} it is cleared first;
 * with it, finished stages are skipped and an interrupted run continues from its last checkpoint.
 * Either way {@code bundle.json} is removed at the start and written only at the very end, so a
 * half-built bundle is never taken for a complete one.
 */
public final class Pipeline {
    private Pipeline() {}

    /**
     * How to run.
     *
     * @param bundle the output directory (e.g. {@code models/demo})
     * @param work the working directory (default {@code BUNDLE/.work})
     * @param resume continue an interrupted pipeline instead of starting afresh
     * @param progress how progress is shown
     * @param out where progress and summaries go
     */
    public record Options(Path bundle, Path work, boolean resume, ProgressBar.Mode progress, PrintStream out) {}

    /** Runs {@code recipe} and returns the written {@code bundle.json}. */
    public static JsonNode run(Recipe recipe, Options options) throws IOException, DataFormatException, OrtException {
        long start = System.nanoTime();
        PrintStream out = options.out();
        Workspace workspace = new Workspace(options.work(), new Fingerprints(recipe));
        if (!options.resume()) {
            workspace.clear();
        }
        Files.createDirectories(options.bundle());
        Files.deleteIfExists(options.bundle().resolve(Bundle.FILE));
        Corpus corpus = DataStage.run(recipe, workspace, out);
        Path tokenizer = TokenizerStage.run(recipe, workspace, corpus, out);
        try (Tokens tokens = Tokens.load(tokenizer);
                NDManager manager = NDManager.newBaseManager()) {
            out.printf(
                    "engine: %s %s on %s%n",
                    manager.getEngine().getEngineName(), manager.getEngine().getVersion(), manager.getDevice());
            PipelineContext context = new PipelineContext(
                    recipe, workspace, options.bundle(), tokenizer, tokens, corpus, manager, options.progress(), out);
            JsonNode evaluation = runModels(context);
            ObjectNode tokenizerInfo = JsonNodeFactory.instance.objectNode();
            tokenizerInfo.put("vocab_size", tokens.vocabSize());
            double seconds = (System.nanoTime() - start) / 1e9;
            ObjectNode bundle = Bundle.write(recipe, options.bundle(), corpus, tokenizerInfo, evaluation, seconds);
            out.printf(
                    Locale.ROOT,
                    "bundle: %s (%d models) in %.1f s%n",
                    options.bundle().resolve(Bundle.FILE),
                    bundle.path("models").size(),
                    seconds);
            return bundle;
        }
    }

    private static JsonNode runModels(PipelineContext context) throws IOException, DataFormatException, OrtException {
        Recipe recipe = context.recipe();
        Map<String, RunStage.Outcome> outcomes = new LinkedHashMap<>();
        for (RunSection run : recipe.runs()) {
            if (run.objective() == ObjectiveKind.SFT) {
                outcomes.put(run.name(), RunStage.run(context, run, outcomes, null));
            }
        }
        boolean needsSamples =
                recipe.runs().stream().anyMatch(run -> run.objective().needsSamples());
        Path samples = needsSamples
                ? SamplingStage.run(
                        recipe,
                        context.workspace(),
                        context.corpus(),
                        context.bundle().resolve(recipe.sampling().policy()),
                        context.progress(),
                        context.out())
                : null;
        for (RunSection run : recipe.runs()) {
            if (run.objective() != ObjectiveKind.SFT) {
                outcomes.put(run.name(), RunStage.run(context, run, outcomes, samples));
            }
        }
        return EvaluationStage.run(context);
    }
}
