package dev.trimtab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server on a free port, serving tiny random models the project writes: a base model and
 * one of each auxiliary model. Tests talk to it over HTTP.
 */
public final class ServerFixture implements AutoCloseable {
    public static final String MODEL = "tiny";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The auxiliary models' context unless a test asks for longer ones. */
    private static final int AUX_CONTEXT = 64;

    private final TrimtabServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixture(TrimtabServer server) {
        this.server = server;
    }

    /** Writes the models and a config under {@code directory}, then starts the server and waits until it serves. */
    public static ServerFixture start(Path directory, String extraServerYaml, int maxRunningRows, int maxQueued)
            throws Exception {
        DecoderSpec tiny = DecoderSpec.gpt2(2, 32, 4, TinyModels.demoVocabSize() + 3, 64);
        return start(directory, extraServerYaml, maxRunningRows, maxQueued, tiny);
    }

    /**
     * As {@link #start(Path, String, int, int)} with a base model of the given shape: a longer context
     * and more layers give requests that take seconds, for tests of load, cancellation and shutdown.
     */
    public static ServerFixture start(
            Path directory, String extraServerYaml, int maxRunningRows, int maxQueued, DecoderSpec baseSpec)
            throws Exception {
        Path config = writeBundle(directory, extraServerYaml, maxRunningRows, maxQueued, baseSpec, AUX_CONTEXT);
        TrimtabServer server = ServerMain.start(config, null);
        server.ready().get(60, TimeUnit.SECONDS);
        return new ServerFixture(server);
    }

    /** Starts the server on {@code config} (models written by the caller) and waits until it serves. */
    public static ServerFixture serve(Path config) throws Exception {
        TrimtabServer server = ServerMain.start(config, null);
        server.ready().get(60, TimeUnit.SECONDS);
        return new ServerFixture(server);
    }

    public static ServerFixture start(Path directory) throws Exception {
        return start(directory, "", 16, 64);
    }

    /**
     * Writes the models (the base of {@code baseSpec}, the auxiliary models with a context of
     * {@code auxContext}) and a config serving them under {@code directory}; returns the config.
     * For tests that start the server themselves, e.g. in a process of its own.
     */
    public static Path writeBundle(
            Path directory,
            String extraServerYaml,
            int maxRunningRows,
            int maxQueued,
            DecoderSpec baseSpec,
            int auxContext)
            throws IOException {
        writeModels(directory, baseSpec, auxContext);
        return Files.writeString(
                directory.resolve("server.yaml"), """
                server:
                  port: 0
                %s
                models:
                  - name: %s
                    path: base
                    max_running_rows: %d
                    max_queued_requests: %d
                    aligned: {dpo: aligned}
                    arms: {positive: arm}
                    scorers: {positive-scorer: scorer}
                    prefix_scorers: {positive-prefix: prefix}
                    reward_models: {positive-rm: rm}
                """.formatted(extraServerYaml, MODEL, maxRunningRows, maxQueued));
    }

    private static void writeModels(Path directory, DecoderSpec baseSpec, int auxContext) {
        int vocab = TinyModels.demoVocabSize() + 3;
        TinyModels.languageModel(directory.resolve("base"), 31, baseSpec);
        TinyModels.languageModel(directory.resolve("aligned"), 32, DecoderSpec.gpt2(2, 32, 4, vocab, auxContext));
        TinyModels.languageModel(directory.resolve("arm"), 33, DecoderSpec.gpt2(1, 16, 2, vocab, auxContext));
        TinyModels.languageModel(
                directory.resolve("scorer"),
                34,
                DecoderSpec.gpt2(1, 16, 2, vocab, auxContext).withScoreHead());
        TinyModels.languageModel(
                directory.resolve("prefix"),
                35,
                DecoderSpec.gpt2(1, 16, 2, vocab, auxContext).withScoreHead());
        TinyModels.write(
                directory.resolve("rm"),
                DecoderSpec.gpt2(1, 16, 2, vocab, auxContext).withScoreHead(),
                36,
                ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION));
    }

    public TrimtabServer server() {
        return server;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** POSTs {@code body} (a JSON string) and returns the answer. */
    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient client() {
        return client;
    }

    public static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** The JSON chunks of a Server-Sent Events body, without the final {@code [DONE]}. */
    public static List<JsonNode> events(String body) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) continue;
            String data = block.substring(block.indexOf("data: ") + 6).trim();
            if (!data.equals("[DONE]")) events.add(json(data));
        }
        return events;
    }

    @Override
    public void close() throws Exception {
        server.shutdown(Duration.ofSeconds(5));
    }
}
