package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.training.data.Records;
import dev.trimtab.training.tokenizer.BpeTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Stage 2: a byte-level BPE learned on the SFT training text, written as {@code tokenizer/tokenizer.json}. */
final class TokenizerStage {
    static final String NAME = "tokenizer";
    /** Pairs seen fewer times than this are not merged. */
    static final int MIN_FREQUENCY = 2;

    private TokenizerStage() {}

    /** The directory holding {@code tokenizer.json}. */
    static Path run(Recipe recipe, Workspace workspace, Corpus corpus, PrintStream out) throws IOException {
        Path directory = workspace.stage(NAME);
        if (workspace.done(NAME).isPresent()) {
            return directory;
        }
        List<String> texts = new ArrayList<>(corpus.train().size());
        for (Records.Sft record : corpus.train()) {
            texts.add(record.prompt() + record.completion());
        }
        long start = System.nanoTime();
        ByteLevelBpeTokenizerFile tokenizer = BpeTrainer.train(
                texts, recipe.tokenizerVocab(), List.of(ByteLevelBpeTokenizerFile.END_OF_TEXT), MIN_FREQUENCY);
        tokenizer.write(directory.resolve(ByteLevelBpeTokenizerFile.FILE_NAME));
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("vocab_size", tokenizer.vocabSize());
        summary.put("merges", tokenizer.merges().size());
        workspace.markDone(NAME, summary);
        out.printf(
                "tokenizer: %d merges, vocabulary %d, learned in %.1f s%n",
                tokenizer.merges().size(), tokenizer.vocabSize(), (System.nanoTime() - start) / 1e9);
        return directory;
    }
}
