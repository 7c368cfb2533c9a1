package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.registry.StrategyRegistry;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a JSON body into a {@link CompletionRequest}, checking every OpenAI field it reads. The
 * first broken rule becomes a 400 naming the field, the rule and the value.
 */
public final class RequestParser {
    private RequestParser() {}

    public static CompletionRequest completion(JsonNode body) {
        JsonFields fields = fieldsOf(body);
        List<PromptInput> prompts = prompts(body.get("prompt"));
        int n = fields.optionalInt("n", 1, CompletionRequest.MAX_N).orElse(1);
        Optional<Integer> logprobs = fields.optionalInt("logprobs", 0, 5);
        return build(CompletionRequest.Kind.COMPLETION, fields, prompts, n, fields.flag("echo"), logprobs);
    }

    public static CompletionRequest chat(JsonNode body) {
        JsonFields fields = fieldsOf(body);
        List<PromptInput> prompts = List.of(new PromptInput.Chat(messages(body.get("messages"))));
        int n = fields.optionalInt("n", 1, CompletionRequest.MAX_N).orElse(1);
        Optional<Integer> logprobs = fields.flag("logprobs")
                ? Optional.of(fields.optionalInt("top_logprobs", 0, 20).orElse(0))
                : Optional.empty();
        return build(CompletionRequest.Kind.CHAT, fields, prompts, n, false, logprobs);
    }

    private static JsonFields fieldsOf(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object");
        }
        return new JsonFields(body, "");
    }

    private static CompletionRequest build(
            CompletionRequest.Kind kind,
            JsonFields fields,
            List<PromptInput> prompts,
            int n,
            boolean echo,
            Optional<Integer> logprobs) {
        String model = fields.requiredString("model");
        rejectUnsupportedPenalties(fields);
        Optional<Integer> maxTokens = fields.optionalInt("max_tokens", 1, SamplingParams.MAX_MAX_TOKENS)
                .or(() -> kind == CompletionRequest.Kind.CHAT
                        ? fields.optionalInt("max_completion_tokens", 1, SamplingParams.MAX_MAX_TOKENS)
                        : Optional.empty());
        int defaultMax =
                kind == CompletionRequest.Kind.CHAT ? SamplingParams.MAX_MAX_TOKENS : SamplingParams.DEFAULT_MAX_TOKENS;
        SamplingParams sampling = sampling(fields, maxTokens.orElse(defaultMax));
        boolean stream = fields.flag("stream");
        boolean includeUsage = stream
                && fields.optionalObject("stream_options")
                        .map(options -> new JsonFields(options, "stream_options.").flag("include_usage"))
                        .orElse(false);
        fields.optionalString("user");
        return new CompletionRequest(
                kind,
                model,
                prompts,
                sampling,
                maxTokens.isPresent(),
                n,
                echo,
                stream,
                includeUsage,
                logprobs,
                alignment(fields));
    }

    /** The {@code alignment} object as a validated strategy, read against the strategy registry. */
    private static AlignmentStrategy alignment(JsonFields fields) {
        Optional<JsonNode> alignment = fields.optionalObject("alignment");
        if (alignment.isEmpty()) {
            return PlainSampling.INSTANCE;
        }
        try {
            return StrategyRegistry.standard().parse(alignment.get());
        } catch (InvalidRequestException e) {
            throw ApiException.of(e);
        }
    }

    private static void rejectUnsupportedPenalties(JsonFields fields) {
        for (String field : List.of("frequency_penalty", "presence_penalty")) {
            if (fields.optionalDouble(field).orElse(0.0) != 0.0) {
                throw ApiException.invalid(field, field + " is not supported; use repetition_penalty");
            }
        }
    }

    private static SamplingParams sampling(JsonFields fields, int maxTokens) {
        int topK = fields.optionalInt("top_k", -1, Integer.MAX_VALUE).orElse(0);
        SamplingParams params = SamplingParams.defaults().withMaxTokens(maxTokens);
        try {
            params = params.withTemperature(
                            fields.optionalDouble("temperature").orElse(SamplingParams.DEFAULT_TEMPERATURE))
                    .withTopP(fields.optionalDouble("top_p").orElse(SamplingParams.DEFAULT_TOP_P))
                    .withTopK(Math.max(0, topK))
                    .withMinP(fields.optionalDouble("min_p").orElse(SamplingParams.DEFAULT_MIN_P))
                    .withRepetitionPenalty(fields.optionalDouble("repetition_penalty")
                            .orElse(SamplingParams.DEFAULT_REPETITION_PENALTY))
                    .withStop(fields.stringOrList("stop", SamplingParams.MAX_STOP_SEQUENCES))
                    .withIgnoreEos(fields.flag("ignore_eos"));
        } catch (InvalidRequestException e) {
            throw ApiException.of(e);
        }
        Optional<Long> seed = fields.optionalLong("seed");
        return seed.isPresent() ? params.withSeed(seed.get()) : params;
    }

    private static List<PromptInput> prompts(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            throw ApiException.invalid("prompt", "prompt is required");
        }
        if (prompt.isTextual()) {
            return List.of(new PromptInput.Text(prompt.asText()));
        }
        if (!prompt.isArray() || prompt.isEmpty()) {
            throw ApiException.invalid(
                    "prompt",
                    "prompt must be a string, a non-empty list of strings, a list of token ids or a list of such lists");
        }
        if (prompt.get(0).isIntegralNumber()) {
            return List.of(new PromptInput.Tokens(tokenIds(prompt, "prompt")));
        }
        if (prompt.size() > CompletionRequest.MAX_PROMPTS) {
            throw ApiException.invalid(
                    "prompt",
                    "prompt must hold at most " + CompletionRequest.MAX_PROMPTS + " prompts, got " + prompt.size());
        }
        List<PromptInput> prompts = new ArrayList<>();
        for (int i = 0; i < prompt.size(); i++) {
            prompts.add(listItem(prompt.get(i), "prompt[" + i + "]"));
        }
        return prompts;
    }

    private static PromptInput listItem(JsonNode item, String name) {
        if (item.isTextual()) return new PromptInput.Text(item.asText());
        if (item.isArray() && !item.isEmpty()) return new PromptInput.Tokens(tokenIds(item, name));
        throw ApiException.invalid(
                name, name + " must be a string or a non-empty list of token ids, got " + JsonFields.abbreviate(item));
    }

    private static long[] tokenIds(JsonNode array, String name) {
        long[] ids = new long[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
                throw ApiException.invalid(
                        name,
                        name + "[" + i + "] must be a token id (an integer >= 0), got " + JsonFields.abbreviate(id));
            }
            ids[i] = id.asLong();
        }
        return ids;
    }

    private static List<PromptInput.ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty list of {role, content} objects");
        }
        List<PromptInput.ChatMessage> parsed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            parsed.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return parsed;
    }

    private static PromptInput.ChatMessage message(JsonNode message, String name) {
        if (!message.isObject()) {
            throw ApiException.invalid(name, name + " must be an object with role and content");
        }
        JsonFields fields = new JsonFields(message, name + ".");
        String role = fields.requiredString("role");
        if (!List.of("system", "user", "assistant", "developer").contains(role)) {
            throw ApiException.invalid(
                    name + ".role", name + ".role must be system, user, assistant or developer, got \"" + role + "\"");
        }
        return new PromptInput.ChatMessage(role, content(message.get("content"), name + ".content"));
    }

    /** Content as a string, or as a list of {type: text, text} parts joined. */
    private static String content(JsonNode content, String name) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject()
                        || !"text".equals(part.path("type").asText())
                        || !part.path("text").isTextual()) {
                    throw ApiException.invalid(
                            name,
                            name
                                    + " parts must be {\"type\": \"text\", \"text\": ...}; other part types are not supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.invalid(
                name, name + " must be a string or a list of text parts, got " + JsonFields.abbreviate(content));
    }
}
