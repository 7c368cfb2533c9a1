package dev.trimtab.server.playground;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds programs on the PATH, for tests that drive one when it is installed. */
final class Executables {
    private Executables() {}

    /** The first executable of one of {@code names} on the PATH, or null. */
    static Path find(String... names) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : names) {
            for (String directory : path.split(File.pathSeparator)) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
            }
        }
        return null;
    }
}
