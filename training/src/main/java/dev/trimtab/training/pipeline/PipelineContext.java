package dev.trimtab.training.pipeline;

import ai.djl.ndarray.NDManager;
import dev.trimtab.training.train.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every stage after the tokenizer shares.
 *
 * @param recipe the recipe
 * @param workspace the working directory
 * @param bundle the output directory (one folder per exported model, {@code bundle.json})
 * @param tokenizerDirectory the folder holding the trained {@code tokenizer.json}
 * @param tokens the tokenizer, loaded
 * @param corpus the text
 * @param manager the DJL manager models are built in
 * @param progress how progress is shown
 * @param out where progress and summaries go
 */
record PipelineContext(
        Recipe recipe,
        Workspace workspace,
        Path bundle,
        Path tokenizerDirectory,
        Tokens tokens,
        Corpus corpus,
        NDManager manager,
        ProgressBar.Mode progress,
        PrintStream out) {}
