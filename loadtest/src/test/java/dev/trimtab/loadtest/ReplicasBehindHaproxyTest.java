package dev.trimtab.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.loadtest.workload.GeneratedPrompts;
import dev.trimtab.loadtest.workload.LengthDistribution;
import dev.trimtab.server.ServerFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes behind HAProxy, started, rolled and stopped by {@code bin/cluster} as a user runs it, under
 * steady load from the load tester. Needs Debian's {@code haproxy} ({@code .ci/run} installs it); skipped, saying so,
 * where it is absent. The rolling restart runs first; the SIGKILL test ends with a replica dead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasBehindHaproxyTest {
    private static final int CLIENTS = 4;
    /** Streams of 200 tokens: a few hundred milliseconds each, so that a replica always has some in flight. */
    private static final int TOKENS = 200;

    @TempDir
    static Path directory;

    private static Path root;
    private static Path clusterDirectory;
    private static URI balancer;
    private static int statsPort;
    private static final ExecutorService LOAD = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(
                onPath("haproxy"),
                "haproxy is not installed: the replica tests need it (apt-get install -y haproxy; .ci/run installs it)");
        root = Path.of("").toAbsolutePath().getParent();
        DecoderSpec base = DecoderSpec.gpt2(2, 64, 4, TinyModels.demoVocabSize() + 3, 256);
        Path models = directory.resolve("models");
        ServerFixture.writeBundle(models, "", 16, 64, base, 64);
        // the base model alone: a replica starts faster without the auxiliary models
        Path config = Files.writeString(models.resolve("replica.yaml"), """
                server:
                  drain_seconds: 20
                models:
                  - name: %s
                    path: base
                    max_running_rows: 16
                """.formatted(ServerFixture.MODEL));
        clusterDirectory = directory.resolve("cluster");
        int port = freePort();
        statsPort = freePort();
        balancer = URI.create("http://127.0.0.1:" + port);
        cluster(
                "start",
                "--config",
                config.toString(),
                "--replicas",
                "2",
                "--port",
                Integer.toString(port),
                "--replica-port",
                Integer.toString(freeAdjacentPorts()),
                "--stats-port",
                Integer.toString(statsPort),
                "--drain-delay",
                "2");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        LOAD.shutdownNow();
        if (clusterDirectory == null || !Files.exists(clusterDirectory.resolve("cluster.env"))) return;
        try {
            cluster("stop");
        } finally {
            // whatever the stop left (a failed test), by the process ids the script recorded
            try (Stream<Path> files = Files.list(clusterDirectory)) {
                for (Path pid : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                            .ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    @Test
    @Order(1)
    @DisplayName("a rolling restart of both replicas under steady load fails no request")
    void rollingRestart() throws Exception {
        // back-to-back runs of a few seconds for as long as the restart takes (its length depends on the machine)
        AtomicBoolean restarted = new AtomicBoolean();
        CountDownLatch loaded = new CountDownLatch(1);
        CompletableFuture<List<StepReport>> load = CompletableFuture.supplyAsync(
                () -> {
                    List<StepReport> steps = new ArrayList<>();
                    while (steps.isEmpty() || !restarted.get()) {
                        steps.add(steadyLoad(2, Duration.ofSeconds(3), progress -> {
                            if (progress.completed() > 0) loaded.countDown();
                        }));
                    }
                    return steps;
                },
                LOAD);
        assertThat(loaded.await(60, TimeUnit.SECONDS)).as("the load began").isTrue();
        long restartStarted = System.nanoTime();
        String restart;
        long restartEnded;
        try {
            restart = cluster("restart");
            restartEnded = System.nanoTime();
        } finally {
            restarted.set(true);
        }
        List<StepReport> steps = load.get(120, TimeUnit.SECONDS);
        System.out.println("rolling restart under load:\n" + restart + steps.size() + " runs of 3 s:");
        steps.forEach(step -> System.out.println("  " + summary(step)));

        assertThat(steps.getFirst().originNanoTime()).isLessThan(restartStarted);
        StepReport last = steps.getLast();
        assertThat(last.originNanoTime()
                        + last.requests().stream()
                                .mapToLong(RequestRecord::endNanos)
                                .max()
                                .orElse(0))
                .as("the load ran until the restart ended")
                .isGreaterThan(restartEnded);
        assertThat(steps).allSatisfy(step -> assertThat(step.overall().errors())
                .as(diagnostics(step))
                .isEmpty());
        long servedDuringRestart = steps.stream()
                .flatMap(step -> step.requests().stream()
                        .filter(r -> r.sentNanos() + step.originNanoTime() > restartStarted
                                && r.endNanos() + step.originNanoTime() < restartEnded))
                .count();
        assertThat(servedDuringRestart).as("requests served during the restart").isPositive();
        assertThat(restart).contains("r1: routed again", "r2: routed again");
    }

    @Test
    @Order(2)
    @DisplayName(
            "SIGKILL of a replica under load fails only the streams it was answering; the rest are retried and later requests all succeed")
    void sigkill() throws Exception {
        CountDownLatch loaded = new CountDownLatch(1);
        CompletableFuture<StepReport> load = CompletableFuture.supplyAsync(
                () -> steadyLoad(CLIENTS, Duration.ofSeconds(10), progress -> {
                    if (progress.completed() > 0) loaded.countDown();
                }),
                LOAD);
        assertThat(loaded.await(60, TimeUnit.SECONDS)).as("the load began").isTrue();
        Thread.sleep(1000);
        long pid = Long.parseLong(
                Files.readString(clusterDirectory.resolve("replica-1.pid")).trim());
        ProcessHandle replica = ProcessHandle.of(pid).orElseThrow();
        long resentBefore = resent(haproxyStats("r1"));
        long killed = System.nanoTime();
        replica.destroyForcibly();
        StepReport step = load.get(60, TimeUnit.SECONDS);
        long killedAt = killed - step.originNanoTime();
        long resent = resent(haproxyStats("r1")) - resentBefore;
        System.out.printf(
                "SIGKILL at %.2f s under load: %s; HAProxy retried or redispatched %d of r1's requests%n",
                killedAt / 1e9, summary(step), resent);

        List<RequestRecord> failed =
                step.requests().stream().filter(r -> !r.outcome().isOk()).toList();
        assertThat(failed)
                .as("only streams that the killed replica had begun to answer fail")
                .hasSizeLessThanOrEqualTo(CLIENTS)
                .allSatisfy(r -> {
                    assertThat(r.sentNanos()).as("sent before the kill").isLessThan(killedAt);
                    // its tokens may reach the client after the kill: they were on their way; or the
                    // kill came between the stream's status line and its first token, which HAProxy
                    // cannot retry either
                    assertThat(r.outcome().status())
                            .as("its answer had begun: a 200 status line, %d chunks", r.chunkNanos().length)
                            .isEqualTo(200);
                });
        assertThat(failed.size() + resent)
                .as("the kill hit requests in flight: they failed, or HAProxy sent them to the other replica")
                .isPositive();
        List<RequestRecord> later =
                step.requests().stream().filter(r -> r.sentNanos() > killedAt).toList();
        assertThat(later).as("requests sent after the kill").isNotEmpty().allSatisfy(r -> assertThat(
                        r.outcome().isOk())
                .as("%s", r.outcome())
                .isTrue());
    }

    /** Requests HAProxy sent again after a replica failed them: retries and redispatches. */
    private static long resent(Map<String, String> stats) {
        return Long.parseLong(stats.get("wretr")) + Long.parseLong(stats.get("wredis"));
    }

    /** HAProxy's statistics of one replica (CSV columns by name: scur, wretr, wredis, status, ...). */
    private static Map<String, String> haproxyStats(String server) throws IOException, InterruptedException {
        String csv;
        try (HttpClient client = HttpClient.newHttpClient()) {
            csv = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
        List<String> lines = csv.lines().toList();
        String[] columns = lines.getFirst().replaceFirst("^# ", "").split(",", -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            if (values.length > 1 && values[0].equals("replicas") && values[1].equals(server)) {
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < Math.min(columns.length, values.length); i++) row.put(columns[i], values[i]);
                return row;
            }
        }
        throw new AssertionError("no statistics for replicas/" + server + " in\n" + csv);
    }

    private static StepReport steadyLoad(int clients, Duration duration, ProgressListener listener) {
        return LoadTest.run(
                        LoadTestConfig.builder(balancer, ServerFixture.MODEL)
                                .closedLoop(clients)
                                .duration(duration)
                                .prompts(new GeneratedPrompts(LengthDistribution.fixed(4)))
                                .maxTokens(LengthDistribution.fixed(TOKENS))
                                .extraBody(new ObjectMapper().createObjectNode().put("ignore_eos", true))
                                .timeout(Duration.ofSeconds(30))
                                .seed(17)
                                .keepRequests(true)
                                .build(),
                        listener)
                .steps()
                .getFirst();
    }

    /** Runs {@code bin/cluster COMMAND --dir DIR ...} and returns what it printed; fails on a non-zero exit. */
    private static String cluster(String command, String... options) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(root.resolve("bin/cluster").toString(), command));
        line.addAll(List.of(options));
        line.addAll(List.of("--dir", clusterDirectory.toString()));
        Path output = Files.createTempFile(directory, "cluster-" + command, ".log");
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("TRIMTAB_SKIP_BUILD", "1");
        builder.environment().put("CLUSTER_START_TIMEOUT", "120");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/cluster " + command + " did not finish within 180 s:\n" + read(output));
        }
        String printed = read(output);
        assertThat(process.exitValue())
                .as("bin/cluster %s:%n%s%s", command, printed, logs())
                .isZero();
        return printed;
    }

    private static String summary(StepReport step) {
        StrategyStats all = step.overall();
        return String.format(
                java.util.Locale.ROOT,
                "%d requests in %.1f s, %d failed %s at %s; %.1f req/s, %.0f output tokens/s, TTFT p50 %.1f ms, p99 %.1f ms",
                all.requests(),
                step.measuredSeconds(),
                all.failed(),
                all.errors(),
                all.errorSpans(),
                all.requestsPerSecond(),
                all.outputTokensPerSecond(),
                all.ttft().p50Ms(),
                all.ttft().p99Ms());
    }

    private static String diagnostics(StepReport step) {
        return step.overall().errorSamples() + "\n" + logs();
    }

    /** HAProxy's log and the replicas' output, for a failure's message. */
    private static String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("haproxy.log", "replica-1.log", "replica-2.log")) {
            Path log = clusterDirectory.resolve(name);
            String content = Files.exists(log) ? read(log) : "(none)";
            text.append("\n--- ")
                    .append(name)
                    .append(" (last 3000 characters) ---\n")
                    .append(content.substring(Math.max(0, content.length() - 3000)));
        }
        return text.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first of two free consecutive ports (bin/cluster numbers its replicas' ports from one). */
    private static int freeAdjacentPorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            try (ServerSocket second = new ServerSocket(first + 1)) {
                return first;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no two consecutive free ports found");
    }
}
