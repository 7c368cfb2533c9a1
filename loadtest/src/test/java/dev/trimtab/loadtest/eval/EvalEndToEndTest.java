package dev.trimtab.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.loadtest.eval.cli.EvalCli;
import dev.trimtab.loadtest.eval.report.EvalJson;
import dev.trimtab.server.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A small sweep against the real server on tiny models, checked against the engine's own log-probabilities. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalEndToEndTest {
    private static final double LAMBDA = 0.5;

    private Path directory;
    private ServerFixture server;
    private Path sweep;
    private EvalReport report;

    @BeforeAll
    void runSweep(@TempDir Path temporary) throws Exception {
        directory = temporary;
        server = ServerFixture.start(directory.resolve("server"));
        Files.writeString(directory.resolve("prompts.jsonl"), """
                {"prompt": "The film was"}
                {"prompt": "Product review of the lamp:"}
                {"prompt": "never read"}
                """);
        sweep = Files.writeString(directory.resolve("sweep.yaml"), """
                model: %s
                prompts: prompts.jsonl
                prompt_count: 2
                samples: 3
                max_tokens: 6
                seed: 7
                lines:
                  - {name: none, strategy: none}
                  - {name: dera, strategy: dera, params: {aligned: dpo}, vary: {lambda: [%s]}}
                  - {name: genarm, strategy: genarm, vary: {weights.positive: [1]}}
                  - {name: best_of_n, strategy: best_of_n, params: {reward_model: positive-rm}, vary: {n: [2]}}
                  - name: cd
                    strategy: cd
                    params: {mode: blockwise, scorer: positive-prefix, block_length: 2}
                    vary: {candidates: [2]}
                """.formatted(ServerFixture.MODEL, LAMBDA));
        report = Evaluation.run(SweepConfig.load(sweep), url(), (done, total, point, seconds) -> {});
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.server().port());
    }

    private List<Sample> samples(String label) {
        for (int i = 0; i < report.points().size(); i++) {
            if (report.points().get(i).label().equals(label))
                return report.samples().get(i);
        }
        throw new AssertionError("no point " + label);
    }

    @Test
    @DisplayName("every point measures prompts × samples completions with gold rewards, lengths and costs")
    void measuresEveryPoint() {
        assertThat(report.points())
                .extracting(PointResult::label)
                .containsExactly("none", "dera lambda=0.5", "genarm positive=1", "best_of_n n=2", "cd candidates=2");
        assertThat(report.points()).allSatisfy(p -> {
            assertThat(p.samples()).isEqualTo(6);
            assertThat(p.meanTokens()).isBetween(1.0, 6.0);
            assertThat(p.positivity().mean()).isBetween(-1.0, 1.0);
            assertThat(p.conciseness().mean()).isBetween(0.0, 1.0);
            assertThat(p.forwardTokensPerSample()).containsKey(ServerFixture.MODEL);
            assertThat(p.wallVsNone()).isPositive();
        });
        PointResult none = report.none();
        assertThat(none.wallVsNone()).isEqualTo(1.0);
        assertThat(none.forwardTokensPerSample()).containsOnlyKeys(ServerFixture.MODEL);
        assertThat(report.points().get(1).forwardTokensPerSample()).containsKey("dpo");
        assertThat(report.points().get(3).klMethod()).isEqualTo(KlMethod.SELECTION);
        assertThat(report.points().get(3).klBound()).isCloseTo(Math.log(2) - 0.5, within(1e-12));
        assertThat(report.points().get(4).kl()).isEqualTo(Estimate.NONE);
    }

    @Test
    @DisplayName("none's KL is 0 sequence by sequence: the rescored ids give back the sampled log-probabilities")
    void noneRoundTrips() {
        assertThat(samples("none")).allSatisfy(s -> assertThat(s.tokenKl()).isCloseTo(0.0, within(1e-4)));
    }

    @Test
    @DisplayName("DeRa's per-sequence KL term equals the engine's own log-softmax of the mixed and the base logits")
    void deraKlMatchesTheEngine() throws Exception {
        Path models = directory.resolve("server");
        try (DecoderModel base = DecoderModel.load(models.resolve("base"), SessionSettings.DEFAULT);
                DecoderModel aligned = DecoderModel.load(models.resolve("aligned"), SessionSettings.DEFAULT)) {
            for (Sample sample : samples("dera lambda=0.5")) {
                double expected = 0;
                for (int t = 0; t < sample.tokenIds().length; t++) {
                    long[] prefix = prefix(sample, t);
                    float[] b = Independent.logits(base, prefix);
                    float[] a = Independent.logits(aligned, prefix);
                    double[] mixed = new double[b.length];
                    for (int v = 0; v < b.length; v++) mixed[v] = LAMBDA * a[v] + (1 - LAMBDA) * b[v];
                    int token = (int) sample.tokenIds()[t];
                    expected += logSoftmax(mixed, token) - logSoftmax(toDouble(b), token);
                }
                assertThat(sample.tokenKl()).as(sample.text()).isCloseTo(expected, within(1e-3));
            }
        }
        PointResult dera = report.points().get(1);
        double mean = samples("dera lambda=0.5").stream()
                .mapToDouble(Sample::tokenKl)
                .average()
                .orElseThrow();
        assertThat(dera.kl().mean()).isCloseTo(mean, within(1e-12));
    }

    @Test
    @DisplayName("GenARM's per-sequence KL term equals the engine's log-softmax of log π_base + α·log π_ARM")
    void genarmKlMatchesTheEngine() throws Exception {
        Path models = directory.resolve("server");
        try (DecoderModel base = DecoderModel.load(models.resolve("base"), SessionSettings.DEFAULT);
                DecoderModel arm = DecoderModel.load(models.resolve("arm"), SessionSettings.DEFAULT)) {
            for (Sample sample : samples("genarm positive=1")) {
                double expected = 0;
                for (int t = 0; t < sample.tokenIds().length; t++) {
                    long[] prefix = prefix(sample, t);
                    double[] b = logSoftmax(toDouble(Independent.logits(base, prefix)));
                    double[] r = logSoftmax(toDouble(Independent.logits(arm, prefix)));
                    double[] guided = new double[b.length];
                    for (int v = 0; v < b.length; v++) guided[v] = b[v] + r[v];
                    int token = (int) sample.tokenIds()[t];
                    expected += logSoftmax(guided)[token] - b[token];
                }
                assertThat(sample.tokenKl()).as(sample.text()).isCloseTo(expected, within(1e-3));
            }
        }
    }

    @Test
    @DisplayName("the report files are written: Markdown, JSON with every point, samples and four PNG charts")
    void writesReportFiles() throws Exception {
        Path out = directory.resolve("out");
        List<Path> written = EvalCli.write(report, out);
        assertThat(written)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "report.md",
                        "report.json",
                        "samples.jsonl",
                        "reward-vs-kl.png",
                        "reward-vs-forward-tokens.png",
                        "reward-vs-wall-time.png",
                        "positivity-vs-conciseness.png");
        for (Path png : written.subList(3, 7)) {
            byte[] bytes = Files.readAllBytes(png);
            assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        }
        JsonNode json = EvalJson.read(out.resolve("report.json"));
        assertThat(json.path("points")).hasSize(5);
        assertThat(json.path("points").get(3).path("kl_bound").asDouble()).isCloseTo(Math.log(2) - 0.5, within(1e-12));
        assertThat(json.path("points").get(4).path("kl").path("mean").isNull()).isTrue();
        assertThat(Files.readAllLines(out.resolve("samples.jsonl"))).hasSize(5 * 6);
        assertThat(Files.readString(out.resolve("report.md"))).contains("| dera lambda=0.5 |", "(bound 0.19)");
    }

    @Test
    @DisplayName("the command line runs a sweep and reports a broken sweep file by field with exit code 2")
    void commandLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EvalCli.execute(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "--url",
                url().toString(),
                "--sweep",
                sweep.toString(),
                "--prompt-count",
                "1",
                "--samples",
                "1",
                "--quiet",
                "--out",
                directory.resolve("cli").toString());
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| none |", "| cd candidates=2 |");
        assertThat(directory.resolve("cli/report.json")).exists();

        Path broken = Files.writeString(directory.resolve("broken.yaml"), "model: x\nprompts: p.jsonl\nsamples: 0\n");
        err.reset();
        status = EvalCli.execute(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "--sweep",
                broken.toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lines must be a non-empty list");
    }

    private static long[] prefix(Sample sample, int generated) {
        long[] prefix = Arrays.copyOf(sample.promptTokenIds(), sample.promptTokenIds().length + generated);
        System.arraycopy(sample.tokenIds(), 0, prefix, sample.promptTokenIds().length, generated);
        return prefix;
    }

    private static double logSoftmax(double[] logits, int token) {
        return logSoftmax(logits)[token];
    }

    private static double[] logSoftmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        for (double l : logits) sum += Math.exp(l - max);
        double normalizer = max + Math.log(sum);
        return Arrays.stream(logits).map(l -> l - normalizer).toArray();
    }

    private static double[] toDouble(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) doubles[i] = values[i];
        return doubles;
    }
}
