package dev.trimtab.loadtest.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.loadtest.Target;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluator's calls to an OpenAI-compatible completions server, one at a time: sample a point's completions
 * with their token ids and log-probabilities, and score given token sequences under the base model ({@code echo}
 * with {@code max_tokens: 0}).
 */
public final class EvalClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final URI completions;
    private final String model;

    public EvalClient(URI baseUrl, String model) {
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.completions = URI.create(Target.of(baseUrl, model).describe());
        this.model = model;
    }

    /** Samples {@code n} completions of {@code prompt} at {@code point}, temperature 1, no filters. */
    public Generation generate(SweepPoint point, String prompt, int n, int maxTokens, long seed)
            throws IOException, InterruptedException {
        ObjectNode alignment = point.alignment();
        if (point.strategy().equals("best_of_n")) {
            alignment.put("return_all", true); // every candidate's reward, for the selection KL estimate
        }
        ObjectNode body = JSON.createObjectNode()
                .put("model", model)
                .put("prompt", prompt)
                .put("max_tokens", maxTokens)
                .put("temperature", 1.0)
                .put("n", n)
                .put("seed", seed)
                .put("logprobs", 0)
                .put("return_token_ids", true);
        body.set("alignment", alignment);
        long start = System.nanoTime();
        JsonNode answer = post(body, point.label());
        long wall = System.nanoTime() - start;
        return parseGeneration(answer, wall, point.label());
    }

    /**
     * The base model's log-probability of every token of each sequence given the tokens before it (the first
     * {@code NaN}): one {@code echo} request with {@code max_tokens: 0} and the sequences as token ids, so that
     * nothing is re-tokenized.
     */
    public List<double[]> score(List<long[]> sequences) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("model", model)
                .put("max_tokens", 0)
                .put("echo", true)
                .put("logprobs", 0);
        ArrayNode prompts = body.putArray("prompt");
        for (long[] sequence : sequences) {
            ArrayNode ids = prompts.addArray();
            for (long id : sequence) ids.add(id);
        }
        JsonNode answer = post(body, "scoring under the base model");
        List<double[]> scores = new ArrayList<>();
        for (JsonNode choice : answer.path("choices")) {
            scores.add(doubles(choice.path("logprobs").path("token_logprobs")));
        }
        if (scores.size() != sequences.size()) {
            throw new IOException("scoring " + sequences.size() + " sequences returned " + scores.size() + " choices");
        }
        for (int i = 0; i < scores.size(); i++) {
            if (scores.get(i).length != sequences.get(i).length) {
                throw new IOException("scoring sequence " + i + " of " + sequences.get(i).length + " tokens returned "
                        + scores.get(i).length + " log-probabilities");
            }
        }
        return scores;
    }

    private JsonNode post(ObjectNode body, String what) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(completions)
                .header("content-type", "application/json")
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot connect to " + completions + " (" + e + "); is the server running?", e);
        }
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IOException(what + ": HTTP " + response.statusCode() + ": "
                    + answer.path("error").path("message").asText(new String(response.body())));
        }
        return answer;
    }

    static Generation parseGeneration(JsonNode answer, long wallNanos, String what) throws IOException {
        List<Generation.Choice> choices = new ArrayList<>();
        for (JsonNode choice : answer.path("choices")) {
            long[] promptIds = longs(choice.path("prompt_token_ids"));
            long[] ids = longs(choice.path("token_ids"));
            double[] logprobs = doubles(choice.path("logprobs").path("token_logprobs"));
            if (promptIds.length == 0 || logprobs.length != ids.length) {
                throw new IOException(what + ": a choice needs prompt_token_ids and as many token_logprobs ("
                        + logprobs.length + ") as token_ids (" + ids.length + "); is return_token_ids supported?");
            }
            double reward =
                    choice.path("reward").isNumber() ? choice.get("reward").asDouble() : Double.NaN;
            choices.add(new Generation.Choice(choice.path("text").asText(), promptIds, ids, logprobs, reward));
        }
        Map<String, Long> tokens = new LinkedHashMap<>();
        Map<String, String> roles = new LinkedHashMap<>();
        answer.path("alignment").path("models").properties().forEach(entry -> {
            tokens.put(entry.getKey(), entry.getValue().path("tokens").asLong());
            roles.put(entry.getKey(), entry.getValue().path("role").asText(""));
        });
        List<List<Double>> rewards = new ArrayList<>();
        List<Double> chosen = new ArrayList<>();
        for (JsonNode candidates : answer.path("alignment").path("candidates")) {
            List<Double> scored = new ArrayList<>();
            candidates.path("scored").forEach(c -> scored.add(c.path("reward").asDouble()));
            int index = candidates.path("chosen").asInt(-1);
            if (index < 0 || index >= scored.size()) {
                throw new IOException(what + ": alignment.candidates[].chosen " + index + " is not among the "
                        + scored.size() + " scored candidates");
            }
            rewards.add(scored);
            chosen.add(scored.get(index));
        }
        return new Generation(choices, tokens, roles, rewards, chosen, wallNanos);
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).asLong();
        return values;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).isNumber() ? array.get(i).asDouble() : Double.NaN;
        }
        return values;
    }

    @Override
    public void close() {
        http.close();
    }
}
