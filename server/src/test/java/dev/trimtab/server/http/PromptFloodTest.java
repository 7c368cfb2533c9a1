package dev.trimtab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized prompts cannot stall the event loop: they are rejected by length before encoding, and
 * prompts that must be encoded are encoded on the prompt workers, so that small requests and
 * {@code /health} keep their latency while clients flood the server with them.
 */
class PromptFloodTest {
    private static final String SMALL = "{\"model\": \"tiny\", \"prompt\": \"Once\", \"max_tokens\": 2}";
    private static final long BOUND_MS = 1000;

    @TempDir
    Path directory;

    @Test
    @DisplayName("a flood of oversized prompts keeps a small request's median latency under a second")
    void floodOfOversizedPrompts() throws Exception {
        DecoderSpec longContext = DecoderSpec.gpt2(2, 32, 4, TinyModels.demoVocabSize() + 3, 4096);
        try (ServerFixture server = ServerFixture.start(directory, "", 16, 64, longContext)) {
            double idle = medianMillis(server, 15);
            // a megabyte (rejected by length) and ~100k chars (encoded on a worker, then over the context)
            List<String> floods = List.of(
                    "{\"model\": \"tiny\", \"prompt\": \"" + "word ".repeat(200_000) + "\"}",
                    "{\"model\": \"tiny\", \"prompt\": \"" + "w".repeat(100_000) + "\"}");
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger rejected = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int c = 0; c < 4; c++) {
                String body = floods.get(c % 2);
                clients.submit(() -> {
                    while (flooding.get()) {
                        HttpResponse<String> response = server.post("/v1/completions", body);
                        if (response.statusCode() == 400) rejected.incrementAndGet();
                    }
                    return null;
                });
            }
            Thread.sleep(300);
            double flooded = medianMillis(server, 15);
            long health = System.nanoTime();
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
            double healthMillis = (System.nanoTime() - health) / 1e6;
            flooding.set(false);
            clients.shutdown();
            System.out.printf(
                    "prompt flood: small request p50 %.1f ms idle, %.1f ms flooded (%d oversized rejected), /health %.1f ms%n",
                    idle, flooded, rejected.get(), healthMillis);
            assertThat(rejected.get()).isPositive();
            assertThat(flooded).isLessThan(BOUND_MS);
            assertThat(healthMillis).isLessThan(BOUND_MS);
        }
    }

    private static double medianMillis(ServerFixture server, int requests) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = server.post("/v1/completions", SMALL);
            millis.add((System.nanoTime() - start) / 1e6);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
