package dev.trimtab.loadtest.cli;

import dev.trimtab.loadtest.LoadTest;
import dev.trimtab.loadtest.LoadTestConfig;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.report.AtomicFiles;
import dev.trimtab.loadtest.report.Charts;
import dev.trimtab.loadtest.report.JsonReport;
import dev.trimtab.loadtest.report.MarkdownReport;
import dev.trimtab.loadtest.report.ProgressPrinter;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code loadtest}: drives an OpenAI-compatible completions server and reports what a capacity planner needs.
 * Exit codes: 0 done, 1 no measured request succeeded or the report could not be written, 2 bad options.
 */
@Command(
        name = "loadtest",
        mixinStandardHelpOptions = true,
        version = "trimtab loadtest 0.1",
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "Load-tests an OpenAI-compatible completions server (Trimtab or any other) with streaming requests:",
            "closed loop (-c) or open loop (-r), one load or a sweep that stops where the SLO breaks.",
            "Latency counts from each request's scheduled send time, so queueing is never hidden."
        },
        footer = {
            "",
            "Examples:",
            "  loadtest --url http://127.0.0.1:8000 --model m -c 8 -n 200",
            "  loadtest --url http://127.0.0.1:8000 --model m -r 1,2,4,8,16 -d 60s --warmup 10s \\",
            "      --mix none:50,genarm:30,best_of_n:20 -p best_of_n='{\"n\":8}' \\",
            "      --slo ttft=500ms,tpot=50ms --out results/",
            "",
            "Reward, KL and cost per alignment strategy and strength: 'loadtest eval --help' (also bin/trimtab eval)."
        })
public final class LoadTestCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private final Options options = new Options();

    private final PrintStream out;
    private final PrintStream err;

    LoadTestCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line and returns its exit code; output goes to {@code out}, messages to {@code err}. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine commandLine = new CommandLine(new LoadTestCli(out, err))
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler(LoadTestCli::badOptions);
        return commandLine.execute(args);
    }

    /** Bad options: the message and a pointer to --help, not the whole usage text. */
    private static int badOptions(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("loadtest: " + e.getMessage());
        err.println("Try 'loadtest --help' for the options.");
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public Integer call() {
        LoadTestConfig config = options.toConfig(spec.commandLine());
        ProgressPrinter progress = new ProgressPrinter(err, isTerminal());
        Report report = LoadTest.run(config, options.quiet ? p -> {} : progress);
        progress.finish();
        out.print(MarkdownReport.render(report));
        out.flush();
        int status = writeOutputs(report);
        return status != 0 ? status : checkSomethingSucceeded(report);
    }

    private int writeOutputs(Report report) {
        if (options.out == null) {
            return 0;
        }
        try {
            List<Path> written = writeFiles(report, options.out);
            err.println("wrote "
                    + String.join(", ", written.stream().map(Path::toString).toList()));
            return 0;
        } catch (IOException e) {
            err.println("loadtest: cannot write the report into " + options.out + ": " + e);
            return 1;
        }
    }

    /** report.json, report.md, the charts and, when asked, requests.jsonl; each written atomically. */
    private List<Path> writeFiles(Report report, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(directory.resolve("report.json"));
        JsonReport.write(report, written.getLast());
        written.add(directory.resolve("report.md"));
        AtomicFiles.write(written.getLast(), MarkdownReport.render(report).getBytes(StandardCharsets.UTF_8));
        written.addAll(Charts.write(report, directory));
        if (options.saveRequests) {
            written.add(directory.resolve("requests.jsonl"));
            JsonReport.writeRequests(report, written.getLast());
        }
        return written;
    }

    private int checkSomethingSucceeded(Report report) {
        if (report.succeeded() > 0) {
            return 0;
        }
        Map<String, String> causes = new LinkedHashMap<>();
        report.steps().forEach(step -> causes.putAll(step.overall().errorSamples()));
        err.println("loadtest: no measured request succeeded against " + report.target() + "; first errors: "
                + (causes.isEmpty() ? "none recorded" : causes));
        return 1;
    }

    /** Whether the console is a terminal that can rewrite a line ({@code Console.isTerminal} since Java 22). */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console exists only for a terminal
        }
    }
}
