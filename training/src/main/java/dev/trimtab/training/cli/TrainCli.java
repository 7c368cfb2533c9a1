package dev.trimtab.training.cli;

import dev.trimtab.training.data.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code train} command line: builds the models the server serves. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        version = "train 0.1.0",
        description = "Trains tokenizers, policies, reward models and prefix scorers with DJL (PyTorch) and"
                + " exports them to ONNX.",
        subcommands = {PipelineCommand.class, CheckDataCommand.class, DemoDataCommand.class})
public final class TrainCli {

    static {
        // DJL must never reach the network: libtorch and the tokenizers come from jars on the classpath.
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.setProperty("java.awt.headless", "true");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TrainCli());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof IllegalArgumentException || exception instanceof DataFormatException) {
                line.getErr().println("error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine;
    }
}
