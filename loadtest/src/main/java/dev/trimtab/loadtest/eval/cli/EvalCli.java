package dev.trimtab.loadtest.eval.cli;

import dev.trimtab.loadtest.eval.EvalReport;
import dev.trimtab.loadtest.eval.Evaluation;
import dev.trimtab.loadtest.eval.SweepConfig;
import dev.trimtab.loadtest.eval.report.EvalCharts;
import dev.trimtab.loadtest.eval.report.EvalJson;
import dev.trimtab.loadtest.eval.report.EvalMarkdown;
import dev.trimtab.loadtest.eval.report.ProgressBar;
import dev.trimtab.loadtest.report.AtomicFiles;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eval}: sweeps alignment strategies and strengths against a server and reports reward, KL and cost per
 * point. Exit codes: 0 done, 1 a request failed or the report could not be written, 2 bad options or sweep file.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        version = "trimtab eval 0.1",
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Evaluates alignment strategies and strengths against an OpenAI-compatible completions server that",
            "returns token ids and echoes prompt log-probabilities (Trimtab): gold rewards, KL(policy||base) per",
            "sequence, diversity, degeneration and cost per point; Markdown and JSON reports and PNG charts."
        },
        footer = {
            "",
            "Examples:",
            "  eval --url http://127.0.0.1:8000 --sweep configs/eval/demo.yaml --out results/eval",
            "  eval --sweep my-sweep.yaml --prompts prompts.jsonl --prompt-count 20 --samples 2"
        })
public final class EvalCli implements Callable<Integer> {

    @Option(
            names = "--url",
            description = "the server (default: ${DEFAULT-VALUE})",
            defaultValue = "http://127.0.0.1:8000")
    URI url;

    @Option(
            names = "--sweep",
            description = "the sweep file (YAML; default: ${DEFAULT-VALUE})",
            defaultValue = "configs/eval/demo.yaml")
    Path sweep;

    @Option(names = "--out", description = "folder for report.md, report.json, samples.jsonl and the charts")
    Path out;

    @Option(names = "--model", description = "overrides the sweep's model")
    Optional<String> model;

    @Option(names = "--prompts", description = "overrides the sweep's prompt file (JSONL, {\"prompt\": ...} per line)")
    Optional<Path> prompts;

    @Option(names = "--prompt-count", description = "overrides how many prompts of the file are used")
    Optional<Integer> promptCount;

    @Option(names = "--samples", description = "overrides the completions per prompt and point")
    Optional<Integer> samples;

    @Option(names = "--max-tokens", description = "overrides max_tokens")
    Optional<Integer> maxTokens;

    @Option(names = "--seed", description = "overrides the sweep's seed")
    Optional<Long> seed;

    @Option(
            names = {"-q", "--quiet"},
            description = "no progress bar")
    boolean quiet;

    private final PrintStream stdout;
    private final PrintStream stderr;

    EvalCli(PrintStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return new CommandLine(new EvalCli(out, err))
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println("eval: " + e.getMessage());
                    e.getCommandLine().getErr().println("Try 'eval --help' for the options.");
                    return CommandLine.ExitCode.USAGE;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        SweepConfig config;
        try {
            config = SweepConfig.load(sweep).with(model, prompts, promptCount, samples, maxTokens, seed);
        } catch (IllegalArgumentException e) {
            stderr.println("eval: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        ProgressBar bar = new ProgressBar(stderr, isTerminal());
        EvalReport report;
        try {
            report = Evaluation.run(config, url, quiet ? (d, t, p, s) -> {} : bar);
        } catch (IllegalArgumentException e) {
            bar.finish();
            stderr.println("eval: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (IOException e) {
            bar.finish();
            stderr.println("eval: " + e.getMessage());
            return 1;
        }
        bar.finish();
        stdout.print(EvalMarkdown.render(report));
        stdout.flush();
        return writeOutputs(report);
    }

    private int writeOutputs(EvalReport report) {
        if (out == null) return 0;
        try {
            List<Path> written = write(report, out);
            stderr.println("wrote "
                    + String.join(", ", written.stream().map(Path::toString).toList()));
            return 0;
        } catch (IOException e) {
            stderr.println("eval: cannot write the report into " + out + ": " + e);
            return 1;
        }
    }

    /** report.md, report.json, samples.jsonl and the charts, each written atomically. */
    public static List<Path> write(EvalReport report, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(directory.resolve("report.md"));
        AtomicFiles.write(written.getLast(), EvalMarkdown.render(report).getBytes(StandardCharsets.UTF_8));
        written.add(directory.resolve("report.json"));
        EvalJson.write(report, written.getLast());
        written.add(directory.resolve("samples.jsonl"));
        EvalJson.writeSamples(report, written.getLast());
        written.addAll(EvalCharts.write(report, directory));
        return written;
    }

    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
