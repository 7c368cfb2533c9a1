package dev.trimtab.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.loadtest.FakeCompletionsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadTestCliTest {

    @TempDir
    Path directory;

    /** The exit code, standard output and standard error of one command line. */
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LoadTestCli.execute(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("A run writes the Markdown table to the console and the JSON, Markdown and charts into --out")
    void fullRun() throws IOException {
        Path results = directory.resolve("results");
        Run run;
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(2), Duration.ofMillis(1), false)) {
            run = run(
                    "--url",
                    fake.url().toString(),
                    "--model",
                    "fake",
                    "-c",
                    "1,2",
                    "-n",
                    "8",
                    "--max-tokens",
                    "3",
                    "--mix",
                    "none:1,best_of_n:1",
                    "-p",
                    "best_of_n={\"n\":4}",
                    "--slo",
                    "ttft=2s,e2e=5s",
                    "--slo-attainment",
                    "95%",
                    "--out",
                    results.toString(),
                    "--save-requests",
                    "--quiet");
        }
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("| all | 8 | 8 | 0 |")
                .contains("| best_of_n |")
                .contains("## Sweep");
        assertThat(run.err()).startsWith("wrote ");
        try (var files = Files.list(results)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "report.json",
                            "report.md",
                            "requests.jsonl",
                            "cdf-ttft.png",
                            "cdf-tpot.png",
                            "cdf-e2e.png",
                            "sweep-throughput.png",
                            "sweep-p99.png");
        }
        assertThat(Files.readString(results.resolve("report.md"))).isEqualTo(run.out());
    }

    @Test
    @DisplayName("An unreachable server is reported, with exit code 1 and the cause")
    void unreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = run("--url", "http://127.0.0.1:" + port, "--model", "m", "-r", "50", "-n", "5", "-q");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("| connection | all | 5 |");
        assertThat(run.err()).contains("no measured request succeeded").contains("Connection refused");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "-c 0; --concurrency: concurrency must be in [1, 100000], got 0",
                "-r -2; --rate: rate must be in (0, 1000000] requests per second, got -2.0",
                "-r 4,2; --rate: a sweep's loads must be strictly increasing, got [4, 2]",
                "-c 1 -r 1; --concurrency N (closed loop) or --rate R (open loop): give exactly one, got both",
                "-c 1 --arrivals poisson; --arrivals shapes an open loop; use it with --rate",
                "-r 1 --arrivals gamma:0; --arrivals: gamma burstiness must be a finite number > 0, got 0.0",
                "-c 1 -d 10; --duration must be a number with a unit (ms, s, m or h), e.g. 500ms or 30s, got '10'",
                "-c 1 --max-tokens uniform:9:1; --max-tokens: uniform max must be >= min, got min 9, max 1",
                "-c 1 --mix none:1,foo-bar:1; --mix: strategy names are wire names like best_of_n",
                "-c 1 -p cd={}; --alignment-params needs --mix naming the strategies",
                "-c 1 --slo ttft:1s; --slo: entries must be METRIC=DURATION like ttft=500ms, got 'ttft:1s'",
                "-c 1 --slo p99=1s; --slo: SLO metric must be ttft, tpot or e2e, got 'p99'",
                "-c 1 --slo-attainment 0; --slo-attainment: must be a fraction in (0, 1] or a percentage like 99%, got '0'",
                "-c 1 --extra-body [1]; --extra-body: must be a JSON object like {\"temperature\": 0.7}, got '[1]'",
                "-c 1 --extra-body {\"prompt\":1}; --extra-body: extra body must not set \"prompt\"",
                "-c 1 --max-in-flight -1; --max-in-flight: must be in [0, 100000] (0 for the default), got -1",
                "-c 1 --save-requests; --save-requests needs --out DIR",
                "-c x; Invalid value for option '--concurrency'"
            })
    @DisplayName("A bad option value exits with code 2 and a message naming the option and the rule")
    void badOptions(String options, String message) {
        String[] args = ("--url http://127.0.0.1:1 --model m " + options).split(" ");
        Run run = run(args);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(message).contains("Try 'loadtest --help'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    @DisplayName("Every bad option is reported at once")
    void allErrorsAtOnce() {
        Run run = run("--url", "ftp://x", "--model", "m", "-c", "1", "--timeout", "soon", "--max-tokens", "0");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("--url: url must be http://HOST[:PORT] or https://HOST[:PORT], got ftp://x")
                .contains("--timeout must be a number with a unit")
                .contains("--max-tokens: length must be in [1, 1000000], got 0");
    }

    @Test
    @DisplayName("A malformed prompts file exits with code 2 naming the file, the line and the field")
    void malformedPrompts() throws IOException {
        Path prompts = Files.writeString(directory.resolve("p.jsonl"), "{\"prompt\": \"a\"}\n{\"prompt\": null}\n");
        Run run = run("--url", "http://127.0.0.1:1", "--model", "m", "-c", "1", "--prompts", prompts.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("--prompts: " + prompts + " line 2: field \"prompt\" must be a non-empty string");
    }

    @Test
    @DisplayName("--help describes the options and exits with code 0")
    void help() {
        Run run = run("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("--concurrency")
                .contains("--slo=METRIC=DURATION")
                .contains("Examples:");
    }
}
