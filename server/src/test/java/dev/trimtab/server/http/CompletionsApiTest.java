package dev.trimtab.server.http;

import static dev.trimtab.server.ServerFixture.events;
import static dev.trimtab.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompletionsApiTest {
    @TempDir
    static Path directory;

    static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start(directory);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String completion(String extra) {
        return "{\"model\": \"tiny\", \"prompt\": \"The film was\", \"max_tokens\": 6, \"seed\": 3, \"ignore_eos\": true"
                + extra + "}";
    }

    @Test
    @DisplayName("a completion answers in the OpenAI shape with usage and the alignment accounting")
    void completion() throws Exception {
        HttpResponse<String> response = server.post("/v1/completions", completion(""));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("id").asText()).startsWith("cmpl-");
        assertThat(body.get("model").asText()).isEqualTo("tiny");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(6);
        assertThat(body.at("/usage/total_tokens").asInt())
                .isEqualTo(body.at("/usage/prompt_tokens").asInt() + 6);
        assertThat(body.at("/alignment/strategy").asText()).isEqualTo("none");
        assertThat(body.at("/alignment/models/tiny/forward_passes").asInt()).isPositive();
    }

    @Test
    @DisplayName("the same seed gives the same text; n choices and prompt lists give one choice each")
    void seedsAndChoices() throws Exception {
        String first = json(server.post("/v1/completions", completion("")).body())
                .at("/choices/0/text")
                .asText();
        String again = json(server.post("/v1/completions", completion("")).body())
                .at("/choices/0/text")
                .asText();
        assertThat(again).isEqualTo(first);
        JsonNode many = json(server.post(
                        "/v1/completions",
                        "{\"model\": \"tiny\", \"prompt\": [\"a\", \"b\"], \"n\": 2, \"max_tokens\": 3, \"seed\": 1}")
                .body());
        assertThat(many.get("choices")).hasSize(4);
        assertThat(many.get("choices").findValuesAsText("index")).containsExactly("0", "1", "2", "3");
    }

    @Test
    @DisplayName("logprobs 0 returns each sampled token with its log-probability, streamed or not")
    void logprobs() throws Exception {
        JsonNode body = json(
                server.post("/v1/completions", completion(", \"logprobs\": 0")).body());
        JsonNode logprobs = body.at("/choices/0/logprobs");
        assertThat(logprobs.get("tokens")).hasSize(6);
        assertThat(logprobs.get("text_offset")).hasSize(6);
        logprobs.get("token_logprobs")
                .forEach(value -> assertThat(value.asDouble()).isNegative().isFinite());
        List<JsonNode> chunks = events(server.post("/v1/completions", completion(", \"logprobs\": 0, \"stream\": true"))
                .body());
        int streamed = chunks.stream()
                .mapToInt(chunk -> chunk.at("/choices/0/logprobs/tokens").size())
                .sum();
        assertThat(streamed).isEqualTo(6);
        JsonNode chat = json(server.post(
                        "/v1/chat/completions",
                        "{\"model\": \"tiny\", \"max_tokens\": 3, \"logprobs\": true, "
                                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"ignore_eos\": true}")
                .body());
        assertThat(chat.at("/choices/0/logprobs/content")).hasSize(3);
        assertThat(body.at("/choices/0/logprobs/top_logprobs").isNull()).isTrue();
    }

    @Test
    @DisplayName("echo prepends the prompt to the completion")
    void echo() throws Exception {
        JsonNode body = json(
                server.post("/v1/completions", completion(", \"echo\": true")).body());
        assertThat(body.at("/choices/0/text").asText()).startsWith("The film was");
    }

    @Test
    @DisplayName("streaming sends text chunks, a finish chunk, a usage chunk when asked, then [DONE]")
    void streaming() throws Exception {
        HttpResponse<String> plain = server.post("/v1/completions", completion(""));
        HttpResponse<String> response = server.post(
                "/v1/completions", completion(", \"stream\": true, \"stream_options\": {\"include_usage\": true}"));
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.body()).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = events(response.body());
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.path("choices")
                .forEach(choice -> text.append(choice.path("text").asText())));
        assertThat(text).hasToString(json(plain.body()).at("/choices/0/text").asText());
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.get("choices")).isEmpty();
        assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(6);
        assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText())
                .isEqualTo("length");
    }

    @Test
    @DisplayName("chat completions render the messages and answer as the assistant, streamed or not")
    void chat() throws Exception {
        String request = "{\"model\": \"tiny\", \"max_tokens\": 4, \"seed\": 2, \"messages\": "
                + "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]";
        JsonNode body = json(server.post("/v1/chat/completions", request + "}").body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        List<JsonNode> chunks = events(server.post("/v1/chat/completions", request + ", \"stream\": true}")
                .body());
        assertThat(chunks.get(0).get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"strategy\": \"none\"}",
                "{\"strategy\": \"best_of_n\", \"n\": 4}",
                "{\"strategy\": \"best_of_n\", \"n\": 3, \"tau\": 0.5, \"return_all\": true}",
                "{\"strategy\": \"dera\", \"lambda\": 0.7, \"aligned\": \"dpo\"}",
                "{\"strategy\": \"genarm\", \"weights\": {\"positive\": 1.0}}",
                "{\"strategy\": \"args\", \"k\": 4, \"weight\": 1.5, \"reward_model\": \"positive-scorer\"}",
                "{\"strategy\": \"cd\", \"k\": 4, \"lambda\": 2.0, \"scorer\": \"positive-prefix\"}",
                "{\"strategy\": \"args\", \"k\": 4, \"weight\": 1.5, \"reward_model\": \"positive-rm\"}",
                "{\"strategy\": \"cd\", \"k\": 4, \"lambda\": 2.0, \"scorer\": \"positive-rm\"}",
                "{\"strategy\": \"cd\", \"mode\": \"blockwise\", \"candidates\": 3, \"block_length\": 2, \"scorer\": \"positive-prefix\"}",
            })
    @DisplayName("every strategy serves over HTTP and reports its accounting")
    void strategies(String alignment) throws Exception {
        HttpResponse<String> response = server.post("/v1/completions", completion(", \"alignment\": " + alignment));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(6);
        assertThat(body.at("/alignment/strategy").asText())
                .isEqualTo(json(alignment).get("strategy").asText());
    }

    @Test
    @DisplayName("speculative rejection serves over HTTP and reports the candidates alive per round")
    void speculativeRejection() throws Exception {
        HttpResponse<String> response = server.post(
                "/v1/completions",
                completion(", \"alignment\": {\"strategy\": \"speculative_rejection\", \"n\": 4,"
                        + " \"rejection_rate\": 0.5, \"decision_tokens\": 2}"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode alive = json(response.body()).at("/alignment/candidates_per_round/0");
        assertThat(alive.get(0).asInt()).isEqualTo(4);
        assertThat(alive.get(alive.size() - 1).asInt()).isLessThan(4);
    }

    @Test
    @DisplayName("best-of-N returns the candidate with the highest reward among those it scored")
    void bestOfN() throws Exception {
        JsonNode body = json(server.post(
                        "/v1/completions",
                        completion(", \"alignment\": {\"strategy\": \"best_of_n\", \"n\": 4, \"return_all\": true}"))
                .body());
        JsonNode scored = body.at("/alignment/candidates/0/scored");
        assertThat(scored).hasSize(4);
        double best = Double.NEGATIVE_INFINITY;
        String bestText = null;
        for (JsonNode candidate : scored) {
            if (candidate.get("reward").asDouble() > best) {
                best = candidate.get("reward").asDouble();
                bestText = candidate.get("text").asText();
            }
        }
        assertThat(body.at("/choices/0/text").asText()).isEqualTo(bestText);
        assertThat(body.at("/choices/0/reward").asDouble()).isEqualTo(best);
        assertThat(body.at("/alignment/models/tiny/forward_passes").asInt()).isLessThan(4 * 6);
    }

    @Test
    @DisplayName("/v1/models lists the base with its strategies and auxiliary models; /health is 200 once ready")
    void modelsAndHealth() throws Exception {
        JsonNode models = json(server.get("/v1/models").body());
        JsonNode tiny = models.at("/data/0");
        assertThat(tiny.get("id").asText()).isEqualTo("tiny");
        List<String> strategies = new ArrayList<>();
        tiny.get("strategies").forEach(name -> strategies.add(name.asText()));
        assertThat(strategies)
                .containsExactly("none", "best_of_n", "args", "cd", "dera", "genarm", "speculative_rejection");
        assertThat(tiny.at("/auxiliary_models/aligned").toString()).isEqualTo("[\"dpo\"]");
        assertThat(tiny.at("/auxiliary_models/arms").toString()).isEqualTo("[\"positive\"]");
        assertThat(tiny.at("/auxiliary_models/prefix_scorers").toString()).isEqualTo("[\"positive-prefix\"]");
        JsonNode lambda = tiny.at("/strategy_parameters/dera/0");
        assertThat(lambda.get("name").asText()).isEqualTo("lambda");
        assertThat(lambda.get("default").asDouble()).isEqualTo(1.0);
        JsonNode aligned = tiny.at("/strategy_parameters/dera/1");
        assertThat(aligned.get("model_kind").asText()).isEqualTo("aligned");
        assertThat(aligned.get("models").toString()).isEqualTo("[\"dpo\"]");
        JsonNode rewardModel = tiny.at("/strategy_parameters/args/3");
        assertThat(rewardModel.get("name").asText()).isEqualTo("reward_model");
        assertThat(rewardModel.get("model_kinds").toString()).isEqualTo("[\"scorers\",\"reward_models\"]");
        assertThat(rewardModel.get("model_paths").toString())
                .isEqualTo("{\"positive-scorer\":\"incremental\",\"positive-rm\":\"sequence\"}");
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("metrics carry vLLM's names, labelled by model and strategy, after traffic")
    void metrics() throws Exception {
        server.post("/v1/completions", completion(""));
        String metrics = server.get("/metrics").body();
        assertThat(metrics)
                .contains("vllm:time_to_first_token_seconds_bucket")
                .contains("vllm:e2e_request_latency_seconds_count")
                .contains("vllm:request_queue_time_seconds")
                .contains("vllm:inter_token_latency_seconds")
                .contains("vllm:num_requests_running")
                .contains("vllm:num_requests_waiting")
                .contains("vllm:generation_tokens_total")
                .contains(
                        "vllm:request_success_total{finished_reason=\"length\",model_name=\"tiny\",strategy=\"none\"}");
    }

    @Test
    @DisplayName(
            "a completion prompt spells special tokens by default (as Hugging Face); split_special_tokens encodes them as text")
    void splitSpecialTokens() throws Exception {
        String body = "{\"model\": \"tiny\", \"prompt\": \"<|endoftext|>\", \"max_tokens\": 1";
        JsonNode special = json(server.post("/v1/completions", body + "}").body());
        JsonNode text = json(server.post("/v1/completions", body + ", \"split_special_tokens\": true}")
                .body());
        assertThat(special.at("/usage/prompt_tokens").asInt()).isEqualTo(1);
        assertThat(text.at("/usage/prompt_tokens").asInt()).isEqualTo("<|endoftext|>".length());
    }
}
