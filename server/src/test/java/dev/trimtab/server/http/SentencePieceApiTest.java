package dev.trimtab.server.http;

import static dev.trimtab.server.ServerFixture.events;
import static dev.trimtab.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.SentencePieceTokenizers;
import dev.trimtab.decoding.onnx.DecoderExporter;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.RandomDecoderWeights;
import dev.trimtab.server.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

/**
 * Log-probabilities over HTTP on Llama-style tiny models with SentencePiece-style tokenizers (the
 * Llama 2 layout, with byte fallback as {@code sp} and without as {@code sp-unk}): per-token strings
 * that concatenate to the text, scores equal to the engine's own log-softmax, a round trip of the
 * returned ids, and as many log-probability entries as completion tokens.
 */
class SentencePieceApiTest {
    @TempDir
    static Path directory;

    static ServerFixture server;
    static DecoderModel base;

    @BeforeAll
    static void start() throws Exception {
        writeModel(directory.resolve("sp"), true, 71);
        writeModel(directory.resolve("sp-unk"), false, 72);
        Path config = Files.writeString(directory.resolve("server.yaml"), """
                server:
                  port: 0
                models:
                  - name: sp
                    path: sp
                  - name: sp-unk
                    path: sp-unk
                """);
        server = ServerFixture.serve(config);
        base = DecoderModel.load(directory.resolve("sp"), SessionSettings.DEFAULT);
    }

    private static void writeModel(Path directory, boolean byteFallback, long seed) {
        int vocab = SentencePieceTokenizers.write(directory, byteFallback);
        DecoderSpec spec = DecoderSpec.llama(2, 32, 4, 2, 48, vocab, 64);
        DecoderExporter.export(
                directory,
                spec,
                RandomDecoderWeights.generate(spec, seed),
                ExportOptions.DEFAULT,
                SentencePieceTokenizers.EOS);
    }

    @AfterAll
    static void stop() throws Exception {
        base.close();
        server.close();
    }

    private static JsonNode post(String path, String body) throws Exception {
        var response = server.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    private static long[] ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .mapToLong(JsonNode::asLong)
                .toArray();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    /** The base model's log-softmax of the next token after {@code prefix}, in double. */
    private static double[] logSoftmax(long[] prefix) throws Exception {
        float[] logits = Independent.logits(base, prefix);
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) max = Math.max(max, logit);
        double sum = 0;
        for (float logit : logits) sum += Math.exp(logit - max);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - max - Math.log(sum);
        return out;
    }

    /**
     * Asserts that {@code tokens} concatenate to {@code text}, but for replacement characters the
     * last token left pending (a character cut by max_tokens), and that each offset is the length
     * in code points of the tokens before it, from {@code start}.
     */
    private static void assertSpellsText(List<String> tokens, JsonNode offsets, String text, int start) {
        String joined = String.join("", tokens);
        assertThat(text).startsWith(joined);
        assertThat(text.substring(joined.length())).matches("\uFFFD*");
        int offset = start;
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(offsets.get(i).asInt()).as("text_offset[%d]", i).isEqualTo(offset);
            offset += tokens.get(i).codePointCount(0, tokens.get(i).length());
        }
    }

    @Test
    @DisplayName("completions: logprobs.tokens concatenate to the text (echoed prompt included) with their leading"
            + " spaces, and text_offset points into it, streamed alike")
    void tokensSpellTheText() throws Exception {
        boolean spaced = false;
        for (String model : List.of("sp", "sp-unk")) {
            for (int seed = 1; seed <= 4; seed++) {
                for (boolean echo : List.of(false, true)) {
                    String request = "{\"model\": \"" + model + "\", \"prompt\": \"The film was\", \"max_tokens\": 24,"
                            + " \"temperature\": 1, \"ignore_eos\": true, \"logprobs\": 0, \"seed\": " + seed
                            + ", \"echo\": " + echo;
                    JsonNode choice = post("/v1/completions", request + "}").at("/choices/0");
                    List<String> tokens = strings(choice.at("/logprobs/tokens"));
                    String text = choice.get("text").asText();
                    assertSpellsText(tokens, choice.at("/logprobs/text_offset"), text, 0);
                    if (echo) assertThat(String.join("", tokens)).startsWith("The film was");
                    spaced |= !echo && tokens.stream().anyMatch(token -> token.startsWith(" "));
                    List<JsonNode> streamed = new ArrayList<>();
                    List<JsonNode> offsets = new ArrayList<>();
                    events(server.post("/v1/completions", request + ", \"stream\": true}")
                                    .body())
                            .forEach(chunk -> chunk.path("choices").forEach(item -> {
                                item.path("logprobs").path("tokens").forEach(streamed::add);
                                item.path("logprobs").path("text_offset").forEach(offsets::add);
                            }));
                    assertThat(streamed).containsExactlyElementsOf(choice.at("/logprobs/tokens"));
                    assertThat(offsets).containsExactlyElementsOf(choice.at("/logprobs/text_offset"));
                }
            }
        }
        assertThat(spaced)
                .as("some generated piece ▁x is spelled with its space")
                .isTrue();
    }

    @Test
    @DisplayName("chat: content tokens concatenate to the message, and their bytes to its UTF-8")
    void chatTokensAndBytes() throws Exception {
        for (int seed = 1; seed <= 4; seed++) {
            JsonNode body = post(
                    "/v1/chat/completions",
                    "{\"model\": \"sp-unk\", \"max_tokens\": 24, \"seed\": " + seed + ", \"ignore_eos\": true,"
                            + " \"logprobs\": true, \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}");
            String content = body.at("/choices/0/message/content").asText();
            List<String> tokens = new ArrayList<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (JsonNode entry : body.at("/choices/0/logprobs/content")) {
                tokens.add(entry.get("token").asText());
                entry.get("bytes").forEach(b -> bytes.write(b.asInt()));
            }
            String joined = String.join("", tokens);
            assertThat(joined).isEqualTo(content);
            assertThat(bytes.toByteArray()).isEqualTo(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("Llama family: echoed prompt log-probabilities equal the engine's log-softmax within 1e-5, and the"
            + " top 5 are its 5 best")
    void promptScoresEqualTheEngine() throws Exception {
        JsonNode choice = post(
                        "/v1/completions",
                        "{\"model\": \"sp\", \"prompt\": \"The film was fine, the end\", \"max_tokens\": 0,"
                                + " \"echo\": true, \"logprobs\": 5, \"return_token_ids\": true}")
                .at("/choices/0");
        long[] prompt = ids(choice.get("prompt_token_ids"));
        JsonNode values = choice.at("/logprobs/token_logprobs");
        assertThat(values).hasSize(prompt.length);
        assertThat(values.get(0).isNull()).isTrue();
        double worst = 0;
        for (int i = 1; i < prompt.length; i++) {
            double[] expected = logSoftmax(Arrays.copyOf(prompt, i));
            worst = Math.max(worst, Math.abs(values.get(i).asDouble() - expected[(int) prompt[i]]));
            float[] asFloats = new float[expected.length];
            for (int v = 0; v < expected.length; v++) asFloats[v] = (float) expected[v];
            int[] best = Independent.topK(asFloats, 5);
            List<Double> top = new ArrayList<>();
            choice.at("/logprobs/top_logprobs/" + i).forEach(value -> top.add(value.asDouble()));
            assertThat(top).hasSizeBetween(1, 5);
            for (int rank = 0; rank < top.size(); rank++) {
                assertThat(top.get(rank)).isCloseTo(expected[best[rank]], within(1e-5));
            }
        }
        assertThat(worst).isLessThan(1e-5);
    }

    @Test
    @DisplayName("round trip: the returned ids, rescored with echo and max_tokens 0, give the log-probabilities"
            + " the generation returned")
    void roundTrip() throws Exception {
        JsonNode generated = post(
                        "/v1/completions",
                        "{\"model\": \"sp\", \"prompt\": \"The film\", \"max_tokens\": 16, \"seed\": 9,"
                                + " \"temperature\": 1, \"logprobs\": 3, \"return_token_ids\": true}")
                .at("/choices/0");
        long[] prompt = ids(generated.get("prompt_token_ids"));
        long[] tokens = ids(generated.get("token_ids"));
        long[] all = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, all, prompt.length, tokens.length);
        JsonNode rescored = post(
                        "/v1/completions",
                        "{\"model\": \"sp\", \"prompt\": " + Arrays.toString(all) + ", \"max_tokens\": 0,"
                                + " \"echo\": true, \"logprobs\": 3, \"return_token_ids\": true}")
                .at("/choices/0");
        assertThat(ids(rescored.get("prompt_token_ids"))).containsExactly(all);
        JsonNode before = generated.at("/logprobs/token_logprobs");
        JsonNode after = rescored.at("/logprobs/token_logprobs");
        for (int i = 0; i < tokens.length; i++) {
            assertThat(after.get(prompt.length + i).asDouble())
                    .as("token %d", i)
                    .isCloseTo(before.get(i).asDouble(), within(1e-5));
            List<Double> beforeTop = new ArrayList<>();
            List<Double> afterTop = new ArrayList<>();
            generated.at("/logprobs/top_logprobs/" + i).forEach(value -> beforeTop.add(value.asDouble()));
            rescored.at("/logprobs/top_logprobs/" + (prompt.length + i))
                    .forEach(value -> afterTop.add(value.asDouble()));
            assertThat(afterTop).hasSameSizeAs(beforeTop);
            for (int rank = 0; rank < beforeTop.size(); rank++) {
                assertThat(afterTop.get(rank)).isCloseTo(beforeTop.get(rank), within(1e-5));
            }
        }
    }

    @Test
    @DisplayName("usage.completion_tokens counts every log-probability entry and token id, the end-of-sequence token"
            + " included when it ends a choice")
    void completionTokensCountEveryEntry() throws Exception {
        int endedByEos = 0;
        for (int seed = 1; seed <= 6; seed++) {
            JsonNode body = post(
                    "/v1/completions",
                    "{\"model\": \"sp-unk\", \"prompt\": \"The film\", \"max_tokens\": 40, \"n\": 4, \"seed\": " + seed
                            + ", \"logprobs\": 0, \"return_base_logprobs\": true, \"return_token_ids\": true}");
            int entries = 0;
            for (JsonNode choice : body.get("choices")) {
                long[] tokens = ids(choice.get("token_ids"));
                assertThat(choice.at("/logprobs/token_logprobs")).hasSize(tokens.length);
                assertThat(choice.at("/logprobs/base_token_logprobs")).hasSize(tokens.length);
                entries += tokens.length;
                if (choice.get("finish_reason").asText().equals("stop")) {
                    assertThat(tokens[tokens.length - 1]).isEqualTo(SentencePieceTokenizers.EOS);
                    endedByEos++;
                }
            }
            assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(entries);
        }
        assertThat(endedByEos).as("choices ended by the end-of-sequence token").isPositive();
    }
}
