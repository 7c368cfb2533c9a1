package dev.trimtab.server;

import dev.trimtab.server.config.ConfigLoader;
import dev.trimtab.server.config.ServerConfig;
import dev.trimtab.server.serving.ModelLoading;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trimtab-server}: serves the models of a config file until SIGTERM or Ctrl-C. */
@Command(
        name = "trimtab-server",
        mixinStandardHelpOptions = true,
        description = "OpenAI-compatible completions server with per-request alignment.")
public final class ServerMain implements Callable<Integer> {
    @Option(
            names = "--config",
            defaultValue = "configs/server.yaml",
            description = "Server config (default ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--port", description = "Override server.port.")
    Integer port;

    @Option(
            names = "--drain-delay-seconds",
            description = "Override server.drain_delay_seconds (behind a load balancer: longer than its health checks"
                    + " take to see a 503).")
    Integer drainDelaySeconds;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new ServerMain());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            if (exception instanceof IllegalArgumentException) {
                line.getErr().println("error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        System.exit(commandLine.execute(args));
    }

    /**
     * Starts the server of {@code configFile} (its port replaced by {@code portOverride} when given)
     * with the models it names: what the command runs, and what the server tests start.
     */
    public static TrimtabServer start(Path configFile, Integer portOverride) throws Exception {
        return start(configFile, portOverride, null);
    }

    /** As {@link #start(Path, Integer)}, its drain delay replaced by {@code drainDelayOverride} when given. */
    public static TrimtabServer start(Path configFile, Integer portOverride, Integer drainDelayOverride)
            throws Exception {
        ServerConfig loaded = ConfigLoader.load(configFile);
        ServerConfig ported = portOverride == null ? loaded : loaded.withPort(portOverride);
        return TrimtabServer.start(
                drainDelayOverride == null ? ported : ported.withDrainDelaySeconds(drainDelayOverride),
                ModelLoading::load);
    }

    @Override
    public Integer call() throws Exception {
        if (drainDelaySeconds != null && (drainDelaySeconds < 0 || drainDelaySeconds > 600)) {
            throw new IllegalArgumentException(
                    "--drain-delay-seconds must be an integer in [0, 600], got " + drainDelaySeconds);
        }
        TrimtabServer server = start(config, port, drainDelaySeconds);
        ServerConfig effective = server.config();
        System.err.printf(
                "trimtab-server listening on http://%s:%d (loading %d model(s); GET /health turns 200 when ready)%n",
                effective.host(), server.port(), effective.models().size());
        CountDownLatch stopped = new CountDownLatch(1);
        ShutdownSignals.install(() -> {
            System.err.printf(
                    "trimtab-server leaving: /health answers 503, requests still admitted for %d s, then draining for up to %d s%n",
                    effective.drainDelaySeconds(), effective.drainSeconds());
            try {
                server.shutdown(
                        Duration.ofSeconds(effective.drainDelaySeconds()),
                        Duration.ofSeconds(effective.drainSeconds()));
                System.err.println("trimtab-server stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        });
        server.ready().whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                System.err.println("error: loading the models failed: " + cause);
                if (!(cause instanceof IllegalArgumentException)) cause.printStackTrace();
                try {
                    server.shutdown(Duration.ZERO);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.exit(1);
            }
            System.err.println("trimtab-server ready");
        });
        stopped.await();
        return 0;
    }
}
