package dev.trimtab.server.http;

import static dev.trimtab.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.server.ServerFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A corpus of malformed requests: each gets a 4xx in the OpenAI error shape and the server stays healthy. */
class MalformedRequestsTest {
    private static final String KEY = "secret-key";

    @TempDir
    static Path directory;

    static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start(directory, "  body_limit_bytes: 4096\n", 16, 64);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Stream<Arguments> corpus() {
        String longPrompt = "[" + "5, ".repeat(99) + "5]";
        return Stream.of(
                Arguments.of("truncated JSON", "{\"model\": \"tiny\", \"prompt\": \"x\"", 400, null),
                Arguments.of("not an object", "[1, 2]", 400, null),
                Arguments.of("null body", "null", 400, null),
                Arguments.of("empty body", "", 400, null),
                Arguments.of("duplicate keys", "{\"model\": \"tiny\", \"model\": \"x\", \"prompt\": \"x\"}", 400, null),
                Arguments.of("trailing garbage", "{\"model\": \"tiny\", \"prompt\": \"x\"} {}", 400, null),
                Arguments.of(
                        "NaN literal", "{\"model\": \"tiny\", \"prompt\": \"x\", \"temperature\": NaN}", 400, null),
                Arguments.of("missing model", "{\"prompt\": \"x\"}", 400, "model"),
                Arguments.of("unknown model", "{\"model\": \"nope\", \"prompt\": \"x\"}", 404, "model"),
                Arguments.of("prompt of wrong type", "{\"model\": \"tiny\", \"prompt\": 5}", 400, "prompt"),
                Arguments.of(
                        "max_tokens as string",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": \"ten\"}",
                        400,
                        "max_tokens"),
                Arguments.of(
                        "huge max_tokens",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 1e400}",
                        400,
                        "max_tokens"),
                Arguments.of(
                        "negative max_tokens",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": -5}",
                        400,
                        "max_tokens"),
                Arguments.of(
                        "zero max_tokens",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 0}",
                        400,
                        "max_tokens"),
                Arguments.of(
                        "max_tokens over a million",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 1000000000}",
                        400,
                        "max_tokens"),
                Arguments.of("negative n", "{\"model\": \"tiny\", \"prompt\": \"x\", \"n\": -1}", 400, "n"),
                Arguments.of(
                        "huge n", "{\"model\": \"tiny\", \"prompt\": \"x\", \"n\": 99999999999999999999}", 400, "n"),
                Arguments.of("fractional n", "{\"model\": \"tiny\", \"prompt\": \"x\", \"n\": 1.5}", 400, "n"),
                Arguments.of(
                        "temperature as string",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"temperature\": \"hot\"}",
                        400,
                        "temperature"),
                Arguments.of(
                        "negative temperature",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"temperature\": -1}",
                        400,
                        "temperature"),
                Arguments.of(
                        "stream as string",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"stream\": \"yes\"}",
                        400,
                        "stream"),
                Arguments.of("huge seed", "{\"model\": \"tiny\", \"prompt\": \"x\", \"seed\": 1e30}", 400, "seed"),
                Arguments.of(
                        "too many stops",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"stop\": [" + "\"a\",".repeat(16) + "\"a\"]}",
                        400,
                        "stop"),
                Arguments.of(
                        "token id outside the vocabulary",
                        "{\"model\": \"tiny\", \"prompt\": [999999]}",
                        400,
                        "prompt"),
                Arguments.of(
                        "prompt over the context",
                        "{\"model\": \"tiny\", \"prompt\": " + longPrompt + "}",
                        400,
                        "prompt"),
                Arguments.of(
                        "logprobs over 20",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"logprobs\": 21}",
                        400,
                        "logprobs"),
                Arguments.of(
                        "top alternatives of a strategy that chooses among candidates",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"logprobs\": 2,"
                                + " \"alignment\": {\"strategy\": \"best_of_n\", \"n\": 2}}",
                        400,
                        "logprobs"),
                Arguments.of(
                        "unknown strategy",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"magic\"}}",
                        400,
                        "alignment.strategy"),
                Arguments.of(
                        "unknown parameter",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"dera\", \"beta\": 1}}",
                        400,
                        "alignment.beta"),
                Arguments.of(
                        "best-of-0",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"best_of_n\", \"n\": 0}}",
                        400,
                        "alignment.n"),
                Arguments.of(
                        "best-of-65",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"best_of_n\", \"n\": 65}}",
                        400,
                        "alignment.n"),
                Arguments.of(
                        "ARGS k 0",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"args\", \"k\": 0, \"reward_model\": \"positive-scorer\"}}",
                        400,
                        "alignment.k"),
                Arguments.of(
                        "lambda as string",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"dera\", \"lambda\": \"big\"}}",
                        400,
                        "alignment.lambda"),
                Arguments.of(
                        "huge lambda",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"dera\", \"lambda\": 1e400, \"aligned\": \"dpo\"}}",
                        400,
                        "alignment.lambda"),
                Arguments.of(
                        "unknown ARM",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"genarm\", \"weights\": {\"kind\": 1}}}",
                        404,
                        "alignment.weights.kind"),
                Arguments.of(
                        "unknown aligned policy",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"dera\", \"aligned\": \"nope\"}}",
                        404,
                        "alignment.aligned"),
                Arguments.of(
                        "ARM named as DeRa's aligned policy",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"dera\", \"aligned\": \"positive\"}}",
                        400,
                        "alignment.aligned"),
                Arguments.of(
                        "prefix scorer named as ARGS's reward model",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"args\", \"reward_model\": \"positive-prefix\"}}",
                        400,
                        "alignment.reward_model"),
                Arguments.of(
                        "more choices than the queue holds (13 prompts times n 5 > 64)",
                        "{\"model\": \"tiny\", \"n\": 5, \"prompt\": [" + "\"x\",".repeat(12) + "\"x\"]}",
                        400,
                        "n"),
                Arguments.of(
                        "more prompts than the queue holds",
                        "{\"model\": \"tiny\", \"prompt\": [" + "\"x\",".repeat(64) + "\"x\"]}",
                        400,
                        "prompt"),
                Arguments.of(
                        "best-of-N over the running rows (32 > 16)",
                        "{\"model\": \"tiny\", \"prompt\": \"x\", \"alignment\": {\"strategy\": \"best_of_n\", \"n\": 32}}",
                        400,
                        "alignment.n"),
                Arguments.of(
                        "bad chat role",
                        "{\"model\": \"tiny\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}",
                        400,
                        "messages[0].role"),
                Arguments.of(
                        "body over the limit",
                        "{\"model\": \"tiny\", \"prompt\": \"" + "x".repeat(5000) + "\"}",
                        413,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @DisplayName("a malformed request gets a 4xx in the OpenAI error shape naming the field")
    void rejected(String name, String body, int status, String param) throws Exception {
        String path = body.contains("messages") ? "/v1/chat/completions" : "/v1/completions";
        HttpResponse<String> response = server.post(path, body);
        assertErrorShape(response, status, param);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("invalid UTF-8 in the body is a 400")
    void invalidUtf8() throws Exception {
        byte[] prefix = "{\"model\": \"tiny\", \"prompt\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 4];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xff;
        body[prefix.length + 1] = (byte) 0xfe;
        body[prefix.length + 2] = '"';
        body[prefix.length + 3] = '}';
        assertErrorShape(server.post("/v1/completions", body), 400, null);
    }

    @Test
    @DisplayName("overlong UTF-8 (C0 AF for '/') is a 400")
    void overlongUtf8() throws Exception {
        byte[] prefix = "{\"model\": \"tiny\", \"prompt\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 4];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xc0;
        body[prefix.length + 1] = (byte) 0xaf;
        body[prefix.length + 2] = '"';
        body[prefix.length + 3] = '}';
        assertErrorShape(server.post("/v1/completions", body), 400, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parserLimits")
    @DisplayName("bodies past the parser's limits are a 400 whose message names no library internals")
    void parserLimitsNotLeaked(String name, String body) throws Exception {
        HttpResponse<String> response = server.post("/v1/completions", body);
        assertErrorShape(response, 400, null);
        assertThat(response.body()).doesNotContain("Constraints", "Feature", "jackson", "Jackson");
    }

    static Stream<Arguments> parserLimits() {
        return Stream.of(
                Arguments.of("nesting beyond 1000", "[".repeat(1500) + "]".repeat(1500)),
                Arguments.of("a number of 2000 digits", "{\"model\": \"tiny\", \"seed\": " + "9".repeat(2000) + "}"),
                Arguments.of("a single-quoted string", "{'model': 'tiny'}"),
                Arguments.of("a control character in a string", "{\"model\": \"ti\u0001ny\"}"));
    }

    @Test
    @DisplayName("GET on a POST route is a 405 with Allow")
    void methodNotAllowed() throws Exception {
        HttpResponse<String> response = server.get("/v1/completions");
        assertErrorShape(response, 405, null);
        assertThat(response.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    @DisplayName("an unknown route is a 404 in the same shape")
    void unknownRoute() throws Exception {
        assertErrorShape(server.post("/v1/embeddings", "{}"), 404, null);
    }

    static void assertErrorShape(HttpResponse<String> response, int status, String param) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response.body()).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isNotBlank();
        assertThat(error.has("code")).isTrue();
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    @Test
    @DisplayName("with API keys configured, a request without a valid Bearer key gets 401 and one with it is served")
    void apiKeys(@TempDir Path keyed) throws Exception {
        try (ServerFixture guarded = ServerFixture.start(keyed, "  api_keys: [" + KEY + "]\n", 4, 8)) {
            URI uri = guarded.uri("/v1/completions");
            String body = "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2}";
            HttpClient client = guarded.client();
            HttpResponse<String> missing = client.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertErrorShape(missing, 401, null);
            HttpResponse<String> wrong = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("authorization", "Bearer nope")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertErrorShape(wrong, 401, null);
            HttpResponse<String> right = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("authorization", "Bearer " + KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(guarded.get("/health").statusCode()).isEqualTo(200);
            assertErrorShape(guarded.get("/metrics"), 401, null);
            HttpResponse<String> metrics = client.send(
                    HttpRequest.newBuilder(guarded.uri("/metrics"))
                            .header("authorization", "Bearer " + KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
        }
    }
}
