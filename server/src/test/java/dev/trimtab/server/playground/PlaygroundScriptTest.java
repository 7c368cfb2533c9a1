package dev.trimtab.server.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playground's pure JavaScript (controls from declared parameters, the alignment object, the
 * SSE parser, pane figures) under {@code node --test}; skipped where no {@code node} is installed.
 */
class PlaygroundScriptTest {
    @Test
    @DisplayName("the playground's control logic passes its node tests")
    void nodeTests(@TempDir Path directory) throws Exception {
        Path node = Executables.find("node");
        assumeTrue(node != null, "node is not installed: the playground's JavaScript unit tests are skipped");
        Path controls = directory.resolve("controls.mjs");
        try (InputStream in = getClass().getResourceAsStream("/playground/controls.js")) {
            assertThat(in).as("playground/controls.js on the classpath").isNotNull();
            Files.copy(in, controls);
        }
        Path tests = Path.of("src/test/js/controls.test.mjs").toAbsolutePath();
        Process process = start(node, tests, controls, directory);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0");
    }

    private static Process start(Path node, Path tests, Path controls, Path directory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(node.toString(), "--test", tests.toString())
                .redirectErrorStream(true)
                .directory(directory.toFile());
        builder.environment().put("CONTROLS", controls.toString());
        return builder.start();
    }
}
