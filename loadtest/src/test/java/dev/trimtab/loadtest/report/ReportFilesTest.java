package dev.trimtab.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.loadtest.Arrivals;
import dev.trimtab.loadtest.FakeCompletionsServer;
import dev.trimtab.loadtest.LoadTest;
import dev.trimtab.loadtest.LoadTestConfig;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.Slo;
import dev.trimtab.loadtest.SloMetric;
import dev.trimtab.loadtest.workload.LengthDistribution;
import dev.trimtab.loadtest.workload.StrategyMix;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Report report;

    @TempDir
    Path directory;

    /** A two-load sweep with a mix, single-token answers (so TPOT has no samples) and one failing strategy. */
    @BeforeAll
    static void run() {
        try (FakeCompletionsServer fake =
                FakeCompletionsServer.start(Duration.ofMillis(2), Duration.ofMillis(1), false)) {
            report = LoadTest.run(LoadTestConfig.builder(fake.url(), "fake")
                    .openLoop(new Arrivals.Poisson(), 40, 80)
                    .mix(StrategyMix.parse("none:1,genarm:1", Map.of()))
                    .maxTokens(LengthDistribution.fixed(1))
                    .slo(new Slo(Map.of(SloMetric.TTFT, Duration.ofSeconds(1)), 0.5))
                    .requests(12)
                    .keepRequests(true)
                    .build());
        }
    }

    @Test
    @DisplayName("The JSON report holds every figure, in milliseconds, with null for figures without samples")
    void json() throws IOException {
        Path file = directory.resolve("report.json");
        JsonReport.write(report, file);
        JsonNode json = JSON.readTree(file.toFile());
        assertThat(json.get("model").asText()).isEqualTo("fake");
        assertThat(json.get("steps")).hasSize(2);
        JsonNode step = json.get("steps").get(0);
        assertThat(step.get("label").asText()).isEqualTo("poisson 40 req/s");
        assertThat(step.has("requests")).as("timelines stay out of the report").isFalse();
        JsonNode overall = step.get("overall");
        assertThat(overall.get("requests").asLong()).isEqualTo(12);
        assertThat(overall.get("e2e").get("p99Ms").asDouble())
                .isEqualTo(report.steps().getFirst().overall().e2e().p99Ms());
        assertThat(overall.get("e2e").get("cdf").get(0)).hasSize(2);
        assertThat(overall.get("tpot").get("p50Ms").isNull()).isTrue();
        assertThat(overall.get("tpot").get("count").asLong()).isZero();
        assertThat(step.get("strategies"))
                .extracting(s -> s.get("strategy").asText())
                .containsExactly("none", "genarm");
        assertThat(json.get("maxSustainableLoad").asDouble()).isEqualTo(80.0);
        assertThat(json.get("sloThresholdsMs").get("ttft").asDouble()).isEqualTo(1000.0);
        assertThat(json.get("settings").get("mix").asText()).isEqualTo("none:1, genarm:1");
        assertNoTemporaryFiles();
    }

    @Test
    @DisplayName("Every request's timeline goes to requests.jsonl, one line each")
    void requestLines() throws IOException {
        Path file = directory.resolve("requests.jsonl");
        JsonReport.writeRequests(report, file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(24);
        JsonNode first = JSON.readTree(lines.getFirst());
        assertThat(first.get("outcome").asText()).isEqualTo("ok");
        assertThat(first.get("chunk_ms")).hasSize(1);
        assertThat(first.get("end_ms").asDouble())
                .isGreaterThan(first.get("scheduled_ms").asDouble());
    }

    @Test
    @DisplayName("The charts are PNG images: CDFs per strategy, and throughput and p99 against the offered load")
    void charts() throws IOException {
        List<Path> files = Charts.write(report, directory);
        assertThat(files)
                .extracting(path -> path.getFileName().toString())
                .containsExactly(
                        "cdf-ttft.png", "cdf-tpot.png", "cdf-e2e.png", "sweep-throughput.png", "sweep-p99.png");
        for (Path file : files) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as(file.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(900);
            assertThat(image.getHeight()).isEqualTo(560);
        }
        assertNoTemporaryFiles();
    }

    @Test
    @DisplayName("The Markdown report has the settings, a table per load, the sweep and the verdict")
    void markdown() {
        String markdown = MarkdownReport.render(report);
        assertThat(markdown)
                .contains("| mix | none:1, genarm:1 |")
                .contains("## poisson 40 req/s: ")
                .contains("| strategy | requests | ok | failed | req/s | output tok/s | goodput req/s | good |")
                .contains("| all | 12 | 12 | 0 |")
                .contains("| TPOT | all | 0 | - | - | - | - | - | - |")
                .contains("## Sweep")
                .contains("**SLO met at every load up to poisson 80 req/s; the limit lies above the sweep**");
    }

    @Test
    @DisplayName("A write that fails leaves the old file as it was and no temporary file behind")
    void atomicWrite() throws IOException {
        Path file = Files.writeString(directory.resolve("report.json"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
                    out.write("half".getBytes());
                    throw new IOException("disk full");
                }))
                .hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertNoTemporaryFiles();
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).noneMatch(path -> path.getFileName().toString().endsWith(".tmp"));
        }
    }
}
