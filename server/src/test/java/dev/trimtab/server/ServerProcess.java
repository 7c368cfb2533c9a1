package dev.trimtab.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The server in a JVM of its own, started with the java launcher as a user starts it (the main
 * class {@link ServerMain} with a config file), for tests of what only a real process shows:
 * signals, exit codes, crashes of native code ({@code hs_err_pid*.log}).
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final Path crashDirectory;
    private final int port;

    private ServerProcess(Process process, Path log, Path crashDirectory, int port) {
        this.process = process;
        this.log = log;
        this.crashDirectory = crashDirectory;
        this.port = port;
    }

    /** Starts {@code ServerMain --config config} in {@code workDirectory} and waits until it serves. */
    public static ServerProcess start(Path config, Path workDirectory) throws IOException, InterruptedException {
        Files.createDirectories(workDirectory);
        Path log = workDirectory.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(
                javaLauncher(),
                "--enable-native-access=ALL-UNNAMED",
                "--add-modules",
                "jdk.incubator.vector",
                "-Xmx1g",
                "-XX:ErrorFile=" + workDirectory.resolve("hs_err_pid%p.log"),
                "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                ServerMain.class.getName(),
                "--config",
                config.toString()));
        Process process = new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int port = awaitPort(process, log);
        ServerProcess server = new ServerProcess(process, log, workDirectory, port);
        server.awaitLine("trimtab-server ready", Duration.ofSeconds(120));
        return server;
    }

    private static String javaLauncher() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = LISTENING.matcher(read(log));
            if (matcher.find()) return Integer.parseInt(matcher.group(1));
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start listening:\n" + read(log));
    }

    /** Waits until the server's output contains {@code line}. */
    public void awaitLine(String line, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (output().contains(line)) return;
            Thread.sleep(20);
        }
        if (!output().contains(line)) {
            throw new IllegalStateException("the server never printed '" + line + "':\n" + output());
        }
    }

    public int port() {
        return port;
    }

    /** Sends SIGTERM, as {@code kill} and container runtimes do. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the exit code; kills the process and fails when it does not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the server did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** The JVM's fatal error logs ({@code hs_err_pid*.log}) the process left. */
    public List<Path> crashLogs() throws IOException {
        try (Stream<Path> files = Files.list(crashDirectory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid"))
                    .toList();
        }
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return read(log);
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
