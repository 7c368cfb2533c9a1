package dev.trimtab.server.http;

import static dev.trimtab.server.ServerFixture.events;
import static dev.trimtab.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.server.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Top alternatives and token ids over HTTP, checked against the base model's own logits. */
class LogprobsApiTest {
    @TempDir
    static Path directory;

    static ServerFixture server;
    static DecoderModel base;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start(directory);
        base = DecoderModel.load(directory.resolve("base"), SessionSettings.DEFAULT);
    }

    @AfterAll
    static void stop() throws Exception {
        base.close();
        server.close();
    }

    private static String completion(String extra) {
        return "{\"model\": \"tiny\", \"prompt\": \"The film was\", \"max_tokens\": 5, \"seed\": 7,"
                + " \"ignore_eos\": true" + extra + "}";
    }

    private static String chat(String extra) {
        return "{\"model\": \"tiny\", \"max_tokens\": 4, \"seed\": 7, \"ignore_eos\": true,"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]" + extra + "}";
    }

    private static long[] ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .mapToLong(JsonNode::asLong)
                .toArray();
    }

    /** The base model's log-softmax after {@code prompt} and the first {@code step} generated tokens. */
    private static double[] logSoftmax(long[] prompt, long[] generated, int step) throws Exception {
        return logSoftmax(Independent.prefix(prompt, generated, step));
    }

    /** The base model's log-softmax of the next token after {@code sequence}, in double. */
    private static double[] logSoftmax(long[] sequence) throws Exception {
        float[] logits = Independent.logits(base, sequence);
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) max = Math.max(max, logit);
        double sum = 0;
        for (float logit : logits) sum += Math.exp(logit - max);
        double normalizer = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - normalizer;
        return out;
    }

    @Test
    @DisplayName("completions: top_logprobs come from the k best of a full sort of the base model's log-softmax")
    void completionTopLogprobs() throws Exception {
        JsonNode choice = json(server.post(
                                "/v1/completions", completion(", \"logprobs\": 5, \"return_token_ids\": true"))
                        .body())
                .at("/choices/0");
        long[] prompt = ids(choice.get("prompt_token_ids"));
        long[] generated = ids(choice.get("token_ids"));
        JsonNode logprobs = choice.get("logprobs");
        assertThat(generated).hasSize(5);
        assertThat(logprobs.get("top_logprobs")).hasSize(5);
        for (int step = 0; step < 5; step++) {
            double[] expected = logSoftmax(prompt, generated, step);
            float[] asFloats = new float[expected.length];
            for (int i = 0; i < expected.length; i++) asFloats[i] = (float) expected[i];
            int[] best = Independent.topK(asFloats, 5);
            List<Double> returned = new ArrayList<>();
            logprobs.at("/top_logprobs/" + step).forEach(value -> returned.add(value.asDouble()));
            // the legacy shape is keyed by text: alternatives of the same text keep the more likely one
            assertThat(returned).isNotEmpty().hasSizeLessThanOrEqualTo(5);
            assertThat(returned.get(0)).isCloseTo(expected[best[0]], within(1e-4));
            for (double value : returned) {
                assertThat(Arrays.stream(best).anyMatch(id -> Math.abs(expected[id] - value) < 1e-4))
                        .as("%s among the 5 best", value)
                        .isTrue();
            }
            assertThat(logprobs.at("/token_logprobs/" + step).asDouble())
                    .isCloseTo(expected[(int) generated[step]], within(1e-4));
        }
    }

    @Test
    @DisplayName("completions: a stream carries the same top alternatives and token ids as the answer")
    void streamedCompletion() throws Exception {
        String extra = ", \"logprobs\": 3, \"return_token_ids\": true";
        JsonNode whole =
                json(server.post("/v1/completions", completion(extra)).body()).at("/choices/0");
        List<JsonNode> chunks = events(server.post("/v1/completions", completion(extra + ", \"stream\": true"))
                .body());
        List<JsonNode> tops = new ArrayList<>();
        List<Long> tokenIds = new ArrayList<>();
        chunks.forEach(chunk -> chunk.path("choices").forEach(item -> {
            item.path("logprobs").path("top_logprobs").forEach(tops::add);
            item.path("token_ids").forEach(id -> tokenIds.add(id.asLong()));
        }));
        assertThat(tops).containsExactlyElementsOf(whole.at("/logprobs/top_logprobs"));
        assertThat(tokenIds.stream().mapToLong(Long::longValue).toArray()).containsExactly(ids(whole.get("token_ids")));
        assertThat(chunks.get(0).at("/choices/0/prompt_token_ids")).isEqualTo(whole.get("prompt_token_ids"));
    }

    @Test
    @DisplayName("chat: top_logprobs are the k best of a full sort of the base model's log-softmax, with bytes")
    void chatTopLogprobs() throws Exception {
        JsonNode body = json(server.post(
                        "/v1/chat/completions",
                        chat(", \"logprobs\": true, \"top_logprobs\": 3, \"return_token_ids\": true"))
                .body());
        long[] prompt = ids(body.get("prompt_token_ids"));
        long[] generated = ids(body.at("/choices/0/token_ids"));
        JsonNode content = body.at("/choices/0/logprobs/content");
        assertThat(content).hasSize(4);
        assertThat(generated).hasSize(4);
        for (int step = 0; step < 4; step++) {
            double[] expected = logSoftmax(prompt, generated, step);
            JsonNode top = content.get(step).get("top_logprobs");
            assertThat(top).hasSize(3);
            float[] asFloats = new float[expected.length];
            for (int i = 0; i < expected.length; i++) asFloats[i] = (float) expected[i];
            int[] best = Independent.topK(asFloats, 3);
            for (int i = 0; i < 3; i++) {
                assertThat(top.get(i).get("logprob").asDouble()).isCloseTo(expected[best[i]], within(1e-4));
            }
            double sampled = content.get(step).get("logprob").asDouble();
            assertThat(sampled).isCloseTo(expected[(int) generated[step]], within(1e-4));
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(sampled - 1e-6);
            for (JsonNode alternative : top) {
                String token = alternative.get("token").asText();
                StringBuilder spelled = new StringBuilder();
                byte[] bytes = new byte[alternative.get("bytes").size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) alternative.get("bytes").get(i).asInt();
                    spelled.append(String.format("\\x%02x", bytes[i] & 0xff));
                }
                // a token that would leave a character incomplete is spelled by its bytes
                assertThat(token).isIn(new String(bytes, StandardCharsets.UTF_8), "bytes:" + spelled);
            }
        }
        List<JsonNode> streamed = new ArrayList<>();
        events(server.post("/v1/chat/completions", chat(", \"logprobs\": true, \"top_logprobs\": 3, \"stream\": true"))
                        .body())
                .forEach(chunk -> chunk.path("choices")
                        .forEach(item -> item.path("logprobs").path("content").forEach(streamed::add)));
        assertThat(streamed).containsExactlyElementsOf(content);
    }

    @Test
    @DisplayName("return_token_ids: the prompt's ids as given, one generated id per completion token")
    void tokenIds() throws Exception {
        JsonNode body = json(server.post(
                        "/v1/completions",
                        "{\"model\": \"tiny\", \"prompt\": [5, 9, 14], \"max_tokens\": 4, \"seed\": 2,"
                                + " \"ignore_eos\": true, \"n\": 2, \"return_token_ids\": true}")
                .body());
        for (JsonNode choice : body.get("choices")) {
            assertThat(ids(choice.get("prompt_token_ids"))).containsExactly(5, 9, 14);
            assertThat(choice.get("token_ids")).hasSize(4);
            assertThat(choice.get("logprobs").isNull()).isTrue();
        }
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(8);
        JsonNode plain =
                json(server.post("/v1/completions", completion("")).body()).at("/choices/0");
        assertThat(plain.has("token_ids")).isFalse();
        assertThat(plain.has("prompt_token_ids")).isFalse();
    }

    @Test
    @DisplayName("DeRa and GenARM return top alternatives; they sum to at most 1 in probability")
    void steeredTopLogprobs() throws Exception {
        for (String alignment : List.of(
                "{\"strategy\": \"dera\", \"aligned\": \"dpo\", \"lambda\": 1.5}",
                "{\"strategy\": \"genarm\", \"weights\": {\"positive\": 1.0}}")) {
            JsonNode response =
                    json(server.post("/v1/completions", completion(", \"logprobs\": 4, \"alignment\": " + alignment))
                            .body());
            JsonNode tops = response.at("/choices/0/logprobs/top_logprobs");
            assertThat(tops).as(alignment + ": " + response).hasSize(5);
            for (JsonNode top : tops) {
                double mass = 0;
                for (JsonNode value : top) mass += Math.exp(value.asDouble());
                assertThat(top.size()).isBetween(1, 4);
                assertThat(mass).isLessThanOrEqualTo(1 + 1e-6);
            }
        }
    }

    @Test
    @DisplayName("return_base_logprobs: per token the base model's log-softmax of it, for every strategy, streamed"
            + " and in chat alike; for none the token's own log-probability")
    void baseLogprobs() throws Exception {
        for (String alignment : List.of(
                "{\"strategy\": \"none\"}",
                "{\"strategy\": \"dera\", \"aligned\": \"dpo\", \"lambda\": 1.5}",
                "{\"strategy\": \"genarm\", \"weights\": {\"positive\": 1.0}}",
                "{\"strategy\": \"best_of_n\", \"n\": 3}",
                "{\"strategy\": \"args\", \"k\": 4}",
                "{\"strategy\": \"cd\", \"mode\": \"blockwise\", \"block_length\": 2}",
                "{\"strategy\": \"speculative_rejection\", \"n\": 3, \"decision_tokens\": 2}")) {
            String extra = ", \"logprobs\": 0, \"return_base_logprobs\": true, \"return_token_ids\": true,"
                    + " \"alignment\": " + alignment;
            String request = completion(extra);
            JsonNode choice =
                    json(server.post("/v1/completions", request).body()).at("/choices/0");
            long[] prompt = ids(choice.get("prompt_token_ids"));
            long[] generated = ids(choice.get("token_ids"));
            JsonNode base = choice.at("/logprobs/base_token_logprobs");
            JsonNode own = choice.at("/logprobs/token_logprobs");
            assertThat(base).as(alignment).hasSize(generated.length).hasSize(own.size());
            boolean differs = false;
            for (int step = 0; step < generated.length; step++) {
                double expected = logSoftmax(prompt, generated, step)[(int) generated[step]];
                assertThat(base.get(step).asDouble())
                        .as("%s step %d", alignment, step)
                        .isCloseTo(expected, within(1e-4));
                differs |= Math.abs(base.get(step).asDouble() - own.get(step).asDouble()) > 1e-3;
            }
            assertThat(differs)
                    .as(alignment)
                    .isEqualTo(List.of("dera", "genarm", "args").stream().anyMatch(alignment::contains));
            if (alignment.contains("none")) assertThat(base).isEqualTo(own);
            List<JsonNode> streamed = new ArrayList<>();
            events(server.post("/v1/completions", completion(extra + ", \"stream\": true"))
                            .body())
                    .forEach(chunk -> chunk.path("choices").forEach(item -> item.path("logprobs")
                            .path("base_token_logprobs")
                            .forEach(streamed::add)));
            assertThat(streamed).as(alignment).isEqualTo(List.copyOf(toList(base)));
        }
        JsonNode chat = json(server.post(
                        "/v1/chat/completions",
                        chat(", \"logprobs\": true, \"return_base_logprobs\": true, \"return_token_ids\": true,"
                                + " \"alignment\": {\"strategy\": \"dera\", \"lambda\": 2}"))
                .body());
        long[] prompt = ids(chat.get("prompt_token_ids"));
        long[] generated = ids(chat.at("/choices/0/token_ids"));
        JsonNode content = chat.at("/choices/0/logprobs/content");
        assertThat(content).hasSize(generated.length);
        for (int step = 0; step < generated.length; step++) {
            assertThat(content.get(step).get("base_logprob").asDouble())
                    .isCloseTo(logSoftmax(prompt, generated, step)[(int) generated[step]], within(1e-4));
        }
    }

    @Test
    @DisplayName("round trip: GenARM's returned ids, rescored with echo and max_tokens 0, give its base_token_logprobs"
            + " (within 1e-5)")
    void roundTrip() throws Exception {
        JsonNode generated = json(server.post(
                                "/v1/completions",
                                completion(
                                        ", \"logprobs\": 0, \"return_base_logprobs\": true, \"return_token_ids\": true,"
                                                + " \"alignment\": {\"strategy\": \"genarm\", \"weights\": {\"positive\": 2}}"))
                        .body())
                .at("/choices/0");
        long[] prompt = ids(generated.get("prompt_token_ids"));
        long[] tokens = ids(generated.get("token_ids"));
        long[] all = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, all, prompt.length, tokens.length);
        JsonNode scores = json(server.post(
                                "/v1/completions",
                                "{\"model\": \"tiny\", \"prompt\": " + Arrays.toString(all)
                                        + ", \"max_tokens\": 0, \"echo\": true, \"logprobs\": 0,"
                                        + " \"return_base_logprobs\": true}")
                        .body())
                .at("/choices/0/logprobs");
        JsonNode rescored = scores.get("token_logprobs");
        // the prompt is scored by the base: its base log-probabilities are its log-probabilities
        assertThat(scores.get("base_token_logprobs")).isEqualTo(rescored);
        JsonNode base = generated.at("/logprobs/base_token_logprobs");
        double worst = 0;
        for (int i = 0; i < tokens.length; i++) {
            worst = Math.max(
                    worst,
                    Math.abs(rescored.get(prompt.length + i).asDouble()
                            - base.get(i).asDouble()));
        }
        assertThat(worst).isLessThan(1e-5);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    @Test
    @DisplayName("return_base_logprobs without logprobs is a 400 naming logprobs; without it no base log-probabilities")
    void baseLogprobsNeedLogprobs() throws Exception {
        var response = server.post("/v1/completions", completion(", \"return_base_logprobs\": true"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("logprobs");
        assertThat(json(response.body()).at("/error/message").asText()).startsWith("return_base_logprobs");
        var chatResponse = server.post("/v1/chat/completions", chat(", \"return_base_logprobs\": true"));
        assertThat(chatResponse.statusCode()).isEqualTo(400);
        assertThat(json(chatResponse.body()).at("/error/message").asText()).contains("logprobs: true");
        JsonNode plain = json(
                server.post("/v1/completions", completion(", \"logprobs\": 0")).body());
        assertThat(plain.at("/choices/0/logprobs").has("base_token_logprobs")).isFalse();
    }

    @Test
    @DisplayName("echo with logprobs scores the prompt under the base model: first null, then its log-softmax")
    void echoedPromptLogprobs() throws Exception {
        long[] prompt = {5, 9, 14, 3};
        String request = "{\"model\": \"tiny\", \"prompt\": [5, 9, 14, 3], \"max_tokens\": 3, \"seed\": 4,"
                + " \"ignore_eos\": true, \"echo\": true, \"logprobs\": 2, \"return_token_ids\": true";
        JsonNode choice =
                json(server.post("/v1/completions", request + "}").body()).at("/choices/0");
        long[] generated = ids(choice.get("token_ids"));
        JsonNode logprobs = choice.get("logprobs");
        assertThat(generated).hasSize(3);
        assertThat(logprobs.get("tokens")).hasSize(7);
        assertThat(logprobs.get("text_offset")).hasSize(7);
        assertThat(logprobs.at("/token_logprobs/0").isNull()).isTrue();
        assertThat(logprobs.at("/top_logprobs/0").isNull()).isTrue();
        long[] all = {5, 9, 14, 3, generated[0], generated[1], generated[2]};
        for (int i = 1; i < all.length; i++) {
            double[] expected = logSoftmax(Arrays.copyOf(all, i));
            assertThat(logprobs.at("/token_logprobs/" + i).asDouble())
                    .as("position %d", i)
                    .isCloseTo(expected[(int) all[i]], within(1e-5));
            double best = Arrays.stream(expected).max().orElseThrow();
            assertThat(logprobs.at("/top_logprobs/" + i).elements().next().asDouble())
                    .isCloseTo(best, within(1e-5));
        }
        List<JsonNode> streamed = new ArrayList<>();
        events(server.post("/v1/completions", request + ", \"stream\": true}").body())
                .forEach(chunk -> chunk.path("choices")
                        .forEach(item ->
                                item.path("logprobs").path("token_logprobs").forEach(streamed::add)));
        assertThat(streamed).containsExactlyElementsOf(logprobs.get("token_logprobs"));
    }

    @Test
    @DisplayName("max_tokens 0 with echo scores the prompt without generating, streamed or not")
    void scoreOnly() throws Exception {
        String request = "{\"model\": \"tiny\", \"prompt\": \"The film was\", \"max_tokens\": 0, \"echo\": true,"
                + " \"logprobs\": 1, \"return_token_ids\": true";
        JsonNode body = json(server.post("/v1/completions", request + "}").body());
        JsonNode choice = body.at("/choices/0");
        assertThat(choice.get("text").asText()).isEqualTo("The film was");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.get("token_ids")).isEmpty();
        assertThat(body.at("/usage/completion_tokens").asInt()).isZero();
        long[] prompt = ids(choice.get("prompt_token_ids"));
        JsonNode values = choice.at("/logprobs/token_logprobs");
        assertThat(values).hasSize(prompt.length);
        assertThat(values.get(0).isNull()).isTrue();
        for (int i = 1; i < prompt.length; i++) {
            assertThat(values.get(i).asDouble())
                    .isCloseTo(logSoftmax(Arrays.copyOf(prompt, i))[(int) prompt[i]], within(1e-5));
        }
        List<JsonNode> chunks = events(
                server.post("/v1/completions", request + ", \"stream\": true}").body());
        StringBuilder text = new StringBuilder();
        List<JsonNode> streamed = new ArrayList<>();
        chunks.forEach(chunk -> chunk.path("choices").forEach(item -> {
            text.append(item.path("text").asText());
            item.path("logprobs").path("token_logprobs").forEach(streamed::add);
        }));
        assertThat(text).hasToString("The film was");
        assertThat(streamed).containsExactlyElementsOf(values);
    }
}
