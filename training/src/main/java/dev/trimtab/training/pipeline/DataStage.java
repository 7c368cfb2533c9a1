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
import java.util.List;

/**
 * Stage 1: the text. Generates the demo task into {@code data/} (or takes the recipe's files), then
 * reads every file through the JSONL reader, so that generated and user data take the same path and
 * malformed lines are reported, naming the file, line, field and rule, or skipped and counted.
 */
final class DataStage {
    static final String NAME = "data";

    private DataStage() {}

    static Corpus run(Recipe recipe, Workspace workspace, PrintStream out) throws IOException, DataFormatException {
        Path directory = workspace.stage(NAME);
        DataSection data = recipe.data();
        if (data.generated() && workspace.done(NAME).isEmpty()) {
            DemoTask.write(
                    directory,
                    data.trainExamples(),
                    data.heldoutExamples(),
                    data.samplingPrompts(),
                    data.evalPrompts(),
                    Seeds.derive(recipe.seed(), "data"));
            workspace.markDone(NAME, JsonNodeFactory.instance.objectNode());
        }
        Path train = data.generated() ? directory.resolve(DemoTask.SFT_TRAIN) : data.sftTrain();
        Path heldout = data.generated() ? directory.resolve(DemoTask.SFT_HELDOUT) : data.sftHeldout();
        Path prompts = data.generated() ? directory.resolve(DemoTask.PROMPTS) : data.prompts();
        Path evalPrompts = data.generated() ? directory.resolve(DemoTask.EVAL_PROMPTS) : data.evalPromptsFile();
        Reader reader = new Reader(data.skipBadLines(), out);
        Corpus corpus = new Corpus(
                reader.read(train, Records.SFT),
                reader.read(heldout, Records.SFT),
                reader.read(prompts, Records.PROMPT),
                reader.read(evalPrompts, Records.PROMPT),
                reader.skipped,
                List.of(train, heldout));
        out.printf(
                "data: %d training and %d held-out examples, %d sampling and %d evaluation prompts%s%n",
                corpus.train().size(),
                corpus.heldout().size(),
                corpus.samplingPrompts().size(),
                corpus.evalPrompts().size(),
                reader.skipped > 0 ? ", " + reader.skipped + " malformed lines skipped" : "");
        return corpus;
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

        <T> List<T> read(Path file, RecordFormat<T> format) throws IOException, DataFormatException {
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + " (named in the recipe's data section) is not a readable file");
            }
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
    }
}
