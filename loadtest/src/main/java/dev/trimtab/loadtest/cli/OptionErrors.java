package dev.trimtab.loadtest.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Collects every invalid option of a command line, so that one run reports them all. */
final class OptionErrors {

    private final List<String> errors = new ArrayList<>();

    /** Runs a conversion; its error is recorded as {@code option: message} (unless it names an option) and null returned. */
    <T> T convert(String option, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            errors.add(message.startsWith("--") ? message : option + ": " + message);
            return null;
        }
    }

    void check(boolean valid, String message) {
        if (!valid) {
            errors.add(message);
        }
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @throws ParameterException listing every error, one per line */
    void throwIfAny(CommandLine commandLine) {
        if (!errors.isEmpty()) {
            throw new ParameterException(commandLine, String.join("\n  ", errors));
        }
    }
}
