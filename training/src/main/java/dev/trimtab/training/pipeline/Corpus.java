package dev.trimtab.training.pipeline;

import dev.trimtab.training.data.Records;
import java.util.List;

/**
 * The text of a pipeline, as read back from its JSONL files.
 *
 * @param train SFT training examples
 * @param heldout held-out SFT examples (perplexity)
 * @param samplingPrompts prompts the SFT policy samples preference data on
 * @param evalPrompts prompts the final policies are compared on
 * @param skippedLines malformed lines skipped across the files (with {@code skip_bad_lines})
 * @param sftFiles the training and held-out files (hashed into the SFT manifests)
 */
record Corpus(
        List<Records.Sft> train,
        List<Records.Sft> heldout,
        List<Records.Prompt> samplingPrompts,
        List<Records.Prompt> evalPrompts,
        int skippedLines,
        List<java.nio.file.Path> sftFiles) {}
