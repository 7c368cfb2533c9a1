package dev.trimtab.decoding.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code trimtab} command line of the decoding module. */
@Command(
        name = "trimtab",
        mixinStandardHelpOptions = true,
        version = "trimtab 0.1.0",
        description = "Trimtab decoding engine: make models, generate text, measure decode speed.",
        subcommands = {
            MakeModelCommand.class,
            QuantizeCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            BenchStrategiesCommand.class,
            BenchServeCommand.class
        })
public final class TrimtabCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TrimtabCli());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof IllegalArgumentException) {
                line.getErr().println("error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine;
    }
}
