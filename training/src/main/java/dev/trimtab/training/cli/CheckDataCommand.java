package dev.trimtab.training.cli;

import dev.trimtab.training.data.DataFormatException;
import dev.trimtab.training.data.JsonlFile;
import dev.trimtab.training.data.RecordFormat;
import dev.trimtab.training.data.Records;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code train check-data --format F FILE}: validates a JSONL data file. */
@Command(
        name = "check-data",
        mixinStandardHelpOptions = true,
        description = "Checks a JSONL data file: the first malformed line is an error naming file, line, field and"
                + " rule; with --skip-bad-lines every bad line is counted and the first ones listed.")
final class CheckDataCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The JSONL file.")
    Path file;

    @Option(
            names = "--format",
            required = true,
            description = "sft ({\"text\"} or {\"prompt\",\"completion\"}), preference ({\"prompt\",\"chosen\","
                    + "\"rejected\"}), reward ({\"prompt\",\"completion\",\"reward\"}) or prompt ({\"prompt\"}).")
    String format;

    @Option(names = "--skip-bad-lines", description = "Count malformed lines instead of stopping at the first.")
    boolean skipBadLines;

    @Override
    public Integer call() throws Exception {
        JsonlFile.Result<?> result = JsonlFile.read(file, format(format), skipBadLines);
        result.errors().forEach(error -> System.out.println("bad line: " + error.getMessage()));
        System.out.printf(
                "%s: %d records, %d bad lines skipped%n", file, result.records().size(), result.skipped());
        return result.skipped() > 0 ? 1 : 0;
    }

    static RecordFormat<?> format(String name) throws DataFormatException {
        return switch (name) {
            case "sft" -> Records.SFT;
            case "preference" -> Records.PREFERENCE;
            case "reward" -> Records.REWARD;
            case "prompt" -> Records.PROMPT;
            default ->
                throw new IllegalArgumentException("--format must be sft, preference, reward or prompt, got " + name);
        };
    }
}
