package dev.trimtab.server.http;

import static dev.trimtab.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.TinyEncoderClassifier;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.server.ServerFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/classify} on the real server: scores against ONNX Runtime run directly on the same
 * graphs, labels, a reward model with its own tokenizer, and the completion endpoints' errors, keys
 * and metrics.
 */
class ClassifyApiTest {
    private static final String KEY = "classify-key";
    private static final List<String> TEXTS =
            List.of("The film was great.", "Dull", "A long, slow and rather tiresome plot, but fine acting.");

    @TempDir
    static Path directory;

    static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerFixture.writeBundle(
                directory,
                "  api_keys: [" + KEY + "]",
                16,
                64,
                DecoderSpec.gpt2(2, 32, 4, dev.trimtab.decoding.fixtures.TinyModels.demoVocabSize() + 3, 64),
                64);
        TinyEncoderClassifier.reward().write(directory.resolve("encoder"), 7);
        new TinyEncoderClassifier(
                        List.of("negative", "neutral", "positive"),
                        Optional.of("single_label_classification"),
                        TinyEncoderClassifier.Pooling.MASKED_MEAN,
                        Optional.empty())
                .write(directory.resolve("three"), 8);
        String yaml = Files.readString(config)
                .replace(
                        "reward_models: {positive-rm: rm}",
                        "reward_models: {positive-rm: rm, encoder: encoder, three: {path: three, label: positive},"
                                + " broken: {path: three, label: 3}}");
        server = ServerFixture.serve(Files.writeString(config, yaml));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return server.client()
                .send(
                        HttpRequest.newBuilder(server.uri(path))
                                .header("content-type", "application/json")
                                .header("authorization", "Bearer " + KEY)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode classify(String fields) throws Exception {
        HttpResponse<String> response = post("/v1/classify", "{\"model\": \"tiny\", " + fields + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    /** The graph's logits for one sequence, run by ONNX Runtime directly (no padding, token types zero). */
    private static float[] direct(Path model, long[] ids) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] mask = new long[1][ids.length];
        java.util.Arrays.fill(mask[0], 1);
        try (OrtSession session = env.createSession(model.resolve("model.onnx").toString());
                OnnxTensor idTensor = OnnxTensor.createTensor(env, new long[][] {ids});
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                OnnxTensor types = OnnxTensor.createTensor(env, new long[1][ids.length])) {
            Map<String, OnnxTensor> inputs = new HashMap<>(Map.of("input_ids", idTensor, "attention_mask", maskTensor));
            if (session.getInputNames().contains("token_type_ids")) inputs.put("token_type_ids", types);
            try (OrtSession.Result result = session.run(inputs)) {
                return ((float[][]) result.get(0).getValue())[0];
            }
        }
    }

    private static String texts() {
        return "[" + String.join(", ", TEXTS.stream().map(t -> "\"" + t + "\"").toList()) + "]";
    }

    @Test
    @DisplayName("a batch of texts scores as ONNX Runtime scores each text alone, within 1e-5, in vLLM's shape")
    void scoresEqualDirectComputation() throws Exception {
        JsonNode body = classify("\"reward_model\": \"positive-rm\", \"input\": " + texts());
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("id").asText()).startsWith("classify-");
        assertThat(body.get("model").asText()).isEqualTo("tiny");
        assertThat(body.get("reward_model").asText()).isEqualTo("positive-rm");
        double largest = 0;
        int tokens = 0;
        try (TextTokenizer tokenizer = TextTokenizer.load(directory.resolve("base"))) {
            for (int i = 0; i < TEXTS.size(); i++) {
                long[] ids = tokenizer.encode(TEXTS.get(i));
                tokens += ids.length;
                float expected = direct(directory.resolve("rm"), ids)[0];
                JsonNode item = body.at("/data/" + i);
                assertThat(item.get("index").asInt()).isEqualTo(i);
                assertThat(item.get("num_classes").asInt()).isEqualTo(1);
                assertThat(item.get("label").asText()).isEqualTo("LABEL_0");
                largest = Math.max(largest, Math.abs(item.get("score").asDouble() - expected));
                assertThat(item.at("/probs/0").asDouble()).isCloseTo(1 / (1 + Math.exp(-expected)), within(1e-5));
            }
        }
        System.out.printf(
                "classify: largest |endpoint - direct ONNX Runtime| over %d texts = %.3g%n", TEXTS.size(), largest);
        assertThat(largest).isLessThanOrEqualTo(1e-5);
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(tokens);
        assertThat(body.at("/usage/completion_tokens").asInt()).isZero();
        JsonNode ids = classify("\"reward_model\": \"positive-rm\", \"input\": [[5, 6, 7], [9]]");
        assertThat(ids.at("/data/0/score").asDouble())
                .isCloseTo(direct(directory.resolve("rm"), new long[] {5, 6, 7})[0], within(1e-5));
        assertThat(ids.at("/data/1/score").asDouble())
                .isCloseTo(direct(directory.resolve("rm"), new long[] {9})[0], within(1e-5));
    }

    @Test
    @DisplayName("a score-head reward model (scorers) scores text as the graph does at the text's last token")
    void scorer() throws Exception {
        JsonNode body = classify("\"reward_model\": \"positive-scorer\", \"input\": \"The film was great.\"");
        try (TextTokenizer tokenizer = TextTokenizer.load(directory.resolve("base"));
                DecoderModel scorer = DecoderModel.load(directory.resolve("scorer"), SessionSettings.DEFAULT)) {
            float expected = Independent.logits(scorer, tokenizer.encode("The film was great."))[0];
            assertThat(body.at("/data/0/score").asDouble()).isCloseTo(expected, within(1e-5));
            assertThat(body.get("reward_model").asText()).isEqualTo("positive-scorer");
        }
    }

    @Test
    @DisplayName(
            "a reward model with its own tokenizer scores text as its tokenizer encodes it; vLLM's /classify path too")
    void ownTokenizer() throws Exception {
        HttpResponse<String> response = post(
                "/classify",
                "{\"model\": \"tiny\", \"reward_model\": \"encoder\", \"input\": \"The film was great.\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        try (TextTokenizer own = TextTokenizer.load(directory.resolve("encoder"))) {
            long[] ids = own.encode("The film was great.");
            assertThat(ids[0]).isEqualTo(TinyEncoderClassifier.vocabulary().indexOf("[CLS]"));
            assertThat(json(response.body()).at("/data/0/score").asDouble())
                    .isCloseTo(direct(directory.resolve("encoder"), ids)[0], within(1e-5));
        }
    }

    @Test
    @DisplayName(
            "a model of three labels: probs are their softmax (or logits without activation), score the configured label's logit")
    void labels() throws Exception {
        JsonNode body = classify("\"reward_model\": \"three\", \"input\": \"great fun\"");
        JsonNode raw = classify("\"reward_model\": \"three\", \"input\": \"great fun\", \"use_activation\": false");
        try (TextTokenizer own = TextTokenizer.load(directory.resolve("three"))) {
            float[] logits = direct(directory.resolve("three"), own.encode("great fun"));
            double normalizer = 0;
            for (float logit : logits) normalizer += Math.exp(logit);
            int best = 0;
            for (int j = 0; j < 3; j++) {
                assertThat(body.at("/data/0/probs/" + j).asDouble())
                        .isCloseTo(Math.exp(logits[j]) / normalizer, within(1e-6));
                assertThat(raw.at("/data/0/probs/" + j).asDouble()).isCloseTo(logits[j], within(1e-6));
                if (logits[j] > logits[best]) best = j;
            }
            assertThat(body.at("/data/0/num_classes").asInt()).isEqualTo(3);
            assertThat(body.at("/data/0/label").asText())
                    .isEqualTo(List.of("negative", "neutral", "positive").get(best));
            assertThat(body.at("/data/0/score").asDouble()).isCloseTo(logits[2], within(1e-6));
        }
    }

    @Test
    @DisplayName("bad requests get the completion endpoints' errors, naming the field; keys and metrics apply")
    void errors() throws Exception {
        assertError(
                post("/v1/classify", "{\"model\": \"tiny\", \"input\": \"x\"}"), 400, "reward_model", "invalid_value");
        assertError(
                post("/v1/classify", "{\"model\": \"tiny\", \"reward_model\": \"nope\", \"input\": \"x\"}"),
                404,
                "reward_model",
                "model_not_found");
        assertError(
                post("/v1/classify", "{\"model\": \"tiny\", \"reward_model\": \"positive-prefix\", \"input\": \"x\"}"),
                400,
                "reward_model",
                "wrong_model_kind");
        assertError(post("/v1/classify", "{\"model\": \"other\", \"input\": \"x\"}"), 404, "model", "model_not_found");
        assertError(
                post("/v1/classify", "{\"model\": \"tiny\", \"reward_model\": \"encoder\"}"),
                400,
                "input",
                "invalid_value");
        assertError(
                post(
                        "/v1/classify",
                        "{\"model\": \"tiny\", \"reward_model\": \"encoder\", \"input\": [[1], [2, 999]]}"),
                400,
                "input[1]",
                "invalid_value");
        assertError(
                post(
                        "/v1/classify",
                        "{\"model\": \"tiny\", \"reward_model\": \"positive-rm\", \"input\": [" + "1, ".repeat(64)
                                + "1]}"),
                400,
                "input",
                "context_length_exceeded");
        assertError(
                post(
                        "/v1/classify",
                        "{\"model\": \"tiny\", \"reward_model\": \"encoder\", \"input\": \"x\", \"use_activation\": 1}"),
                400,
                "use_activation",
                "invalid_value");
        HttpResponse<String> unauthorized = server.post("/v1/classify", "{\"model\": \"tiny\", \"input\": \"x\"}");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(server.get("/v1/classify").statusCode()).isIn(401, 405);
        classify("\"reward_model\": \"encoder\", \"input\": \"x\"");
        String metrics = server.client()
                .send(
                        HttpRequest.newBuilder(server.uri("/metrics"))
                                .header("authorization", "Bearer " + KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("vllm:prompt_tokens_total{model_name=\"tiny\",strategy=\"classify\"}");
    }

    @Test
    @DisplayName("a reward model whose label is out of range is left out with its error; the rest serves")
    void brokenRewardModelLeftOut() throws Exception {
        JsonNode card = json(server.client()
                        .send(
                                HttpRequest.newBuilder(server.uri("/v1/models"))
                                        .header("authorization", "Bearer " + KEY)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .at("/data/0");
        assertThat(card.at("/unavailable_models/0/name").asText()).isEqualTo("broken");
        assertThat(card.at("/unavailable_models/0/kind").asText()).isEqualTo("reward_models");
        assertThat(card.at("/unavailable_models/0/error").asText())
                .isEqualTo("reward label 3 is out of range: " + directory.resolve("three/config.json")
                        + " declares 3 labels [negative, neutral, positive], so the label must be in [0, 3)");
        assertThat(card.at("/auxiliary_models/reward_models").toString())
                .isEqualTo("[\"positive-rm\",\"encoder\",\"three\"]");
        assertThat(card.at("/reward_model_labels/three/labels").toString())
                .isEqualTo("[\"negative\",\"neutral\",\"positive\"]");
        assertThat(card.at("/reward_model_labels/three/reward_label").asInt()).isEqualTo(2);
        assertThat(card.at("/reward_model_labels/three/tokenizer").asText()).isEqualTo("own");
        assertThat(card.at("/reward_model_labels/positive-rm/tokenizer").asText())
                .isEqualTo("base");
        assertError(
                post("/v1/classify", "{\"model\": \"tiny\", \"reward_model\": \"broken\", \"input\": \"x\"}"),
                404,
                "reward_model",
                "model_not_found");
        HttpResponse<String> completion = post(
                "/v1/completions",
                "{\"model\": \"tiny\", \"prompt\": \"Hi\", \"max_tokens\": 3, \"alignment\": {\"strategy\":"
                        + " \"args\", \"reward_model\": \"encoder\"}}");
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        assertThat(json(completion.body()).at("/usage/completion_tokens").asInt())
                .isEqualTo(3);
    }

    private static void assertError(HttpResponse<String> response, int status, String param, String code)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo(param);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(param.replaceAll("\\[.*", ""));
    }
}
