package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.trimtab.training.data.DataFormatException;
import dev.trimtab.training.data.JsonlFile;
import dev.trimtab.training.data.RecordFormat;
import dev.trimtab.training.data.Records;
import dev.trimtab.training.task.DemoTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Stage 1: the text. Generates the demo task (or copies the recipe's files) into {@code data/},
 * then reads every file back through the JSONL reader, so that generated and user data take the
 * same path and malformed lines are reported (or skipped and counted) the same way.
 */
final class DataStage {
    static final String NAME = "data";

    private DataStage() {}

    static Corpus run(Recipe recipe, Workspace workspace, PrintStream out) throws IOException, DataFormatException {
        Path directory = workspace.stage(NAME);
        DataSection data = recipe.data();
        if (workspace.done(NAME).isEmpty()) {
            if (data.generated()) {
                DemoTask.write(
                        directory,
                        data.trainExamples(),
                        data.heldoutExamples(),
                        data.samplingPrompts(),
                        data.evalPrompts(),
                        Seeds.derive(recipe.seed(), "data"));
            } else {
                copy(data.sftTrain(), directory.resolve(DemoTask.SFT_TRAIN));
                copy(data.sftHeldout(), directory.resolve(DemoTask.SFT_HELDOUT));
                copy(data.prompts(), directory.resolve(DemoTask.PROMPTS));
                copy(data.evalPromptsFile(), directory.resolve(DemoTask.EVAL_PROMPTS));
            }
            workspace.markDone(NAME, JsonNodeFactory.instance.objectNode());
        }
        Reader reader = new Reader(data.skipBadLines(), out);
        Corpus corpus = new Corpus(
                reader.read(directory.resolve(DemoTask.SFT_TRAIN), Records.SFT),
                reader.read(directory.resolve(DemoTask.SFT_HELDOUT), Records.SFT),
                reader.read(directory.resolve(DemoTask.PROMPTS), Records.PROMPT),
                reader.read(directory.resolve(DemoTask.EVAL_PROMPTS), Records.PROMPT),
                reader.skipped);
        out.printf(
                "data: %d training and %d held-out examples, %d sampling and %d evaluation prompts%s%n",
                corpus.train().size(),
                corpus.heldout().size(),
                corpus.samplingPrompts().size(),
                corpus.evalPrompts().size(),
                reader.skipped > 0 ? ", " + reader.skipped + " malformed lines skipped" : "");
        return corpus;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new IOException(from + " (named in the recipe's data section) is not a readable file");
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads files, adding up the lines it skipped and printing the first errors. */
    static final class Reader {
        private final boolean skipBadLines;
        private final PrintStream out;
        private int skipped;

        Reader(boolean skipBadLines, PrintStream out) {
            this.skipBadLines = skipBadLines;
            this.out = out;
        }

        <T> java.util.List<T> read(Path file, RecordFormat<T> format) throws IOException, DataFormatException {
            JsonlFile.Result<T> result = JsonlFile.read(file, format, skipBadLines);
            skipped += result.skipped();
            result.errors().forEach(error -> out.println("skipped " + error.getMessage()));
            if (result.skipped() > result.errors().size()) {
                out.println("skipped " + (result.skipped() - result.errors().size()) + " more lines of " + file);
            }
            if (result.records().isEmpty()) {
                throw new IOException(file + " holds no usable records");
            }
            return result.records();
        }

        int skipped() {
            return skipped;
        }
    }
}
