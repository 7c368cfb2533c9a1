package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.server.api.CompletionRequest;
import dev.trimtab.server.serving.ChoiceResult;
import dev.trimtab.server.serving.RequestSummary;
import dev.trimtab.server.serving.TokenLogprob;
import java.util.List;

/**
 * The JSON of completion responses and stream chunks, in the shapes of the OpenAI completions and
 * chat completions APIs, plus Trimtab's {@code alignment} field.
 */
final class ResponseBodies {
    private final ObjectMapper json;
    private final CompletionRequest.Kind kind;
    private final String id;
    private final long created;
    private final String model;
    private final boolean logprobs;
    private final int topLogprobs;
    private final boolean tokenIds;
    private final boolean baseLogprobs;

    ResponseBodies(ObjectMapper json, CompletionRequest request, String id, long created, String model) {
        this.json = json;
        this.kind = request.kind();
        this.id = id;
        this.created = created;
        this.model = model;
        this.logprobs = request.logprobs().isPresent();
        this.topLogprobs = request.logprobs().orElse(0);
        this.tokenIds = request.returnTokenIds();
        this.baseLogprobs = request.baseLogprobs();
    }

    private boolean chat() {
        return kind == CompletionRequest.Kind.CHAT;
    }

    /** The whole response of a request answered at once. */
    ObjectNode complete(List<ChoiceResult> choices, RequestSummary summary) {
        ObjectNode body = envelope(chat() ? "chat.completion" : "text_completion");
        ArrayNode array = body.putArray("choices");
        for (ChoiceResult choice : choices) {
            ObjectNode item = array.addObject();
            item.put("index", choice.index());
            if (chat()) {
                ObjectNode message = item.putObject("message");
                message.put("role", "assistant");
                message.put("content", choice.text());
            } else {
                item.put("text", choice.text());
            }
            item.set("logprobs", logprobs(choice.tokens()));
            item.put("finish_reason", choice.finishReason());
            choice.reward().ifPresent(reward -> item.put("reward", reward));
            if (tokenIds) {
                // vLLM's places: the prompt's ids on the response for chat (one prompt), per choice for completions
                ids(chat() ? body : item, "prompt_token_ids", choice.promptTokenIds());
                ids(item, "token_ids", choice.tokens());
            }
        }
        body.set("usage", usage(summary));
        body.set("alignment", summary.alignment());
        return body;
    }

    /**
     * A stream chunk carrying text of one choice: with its tokens' ids when asked, and on the
     * choice's first chunk its prompt's ids.
     */
    ObjectNode textChunk(int index, String text, List<TokenLogprob> tokens, boolean first, long[] promptIds) {
        ObjectNode chunk = envelope(chat() ? "chat.completion.chunk" : "text_completion");
        ObjectNode item = chunk.putArray("choices").addObject();
        item.put("index", index);
        if (chat()) {
            ObjectNode delta = item.putObject("delta");
            if (first) delta.put("role", "assistant");
            delta.put("content", text);
        } else {
            item.put("text", text);
        }
        item.set("logprobs", logprobs(tokens));
        item.putNull("finish_reason");
        if (tokenIds) {
            if (first) ids(chat() ? chunk : item, "prompt_token_ids", promptIds);
            ids(item, "token_ids", tokens);
        }
        return chunk;
    }

    /** The stream chunk that ends one choice. */
    ObjectNode finishChunk(ChoiceResult choice) {
        ObjectNode chunk = envelope(chat() ? "chat.completion.chunk" : "text_completion");
        ObjectNode item = chunk.putArray("choices").addObject();
        item.put("index", choice.index());
        if (chat()) item.putObject("delta");
        else item.put("text", "");
        item.putNull("logprobs");
        item.put("finish_reason", choice.finishReason());
        choice.reward().ifPresent(reward -> item.put("reward", reward));
        return chunk;
    }

    /** The last chunk: no choices, the alignment accounting and, when asked, the usage. */
    ObjectNode summaryChunk(RequestSummary summary, boolean includeUsage) {
        ObjectNode chunk = envelope(chat() ? "chat.completion.chunk" : "text_completion");
        chunk.putArray("choices");
        if (includeUsage) chunk.set("usage", usage(summary));
        chunk.set("alignment", summary.alignment());
        return chunk;
    }

    /**
     * The log-probabilities of {@code tokens} in the shape of the endpoint: completions'
     * {@code tokens}/{@code token_logprobs}/{@code text_offset} lists, or chat's {@code content}
     * entries, with the base model's log-probabilities when asked ({@code base_token_logprobs},
     * {@code base_logprob}); JSON null when the request did not ask for them.
     */
    private JsonNode logprobs(List<TokenLogprob> tokens) {
        if (!logprobs) {
            return NullNode.getInstance();
        }
        ObjectNode body = json.createObjectNode();
        if (chat()) {
            ArrayNode content = body.putArray("content");
            tokens.forEach(token -> content.add(chatEntry(token)));
            return body;
        }
        ArrayNode texts = body.putArray("tokens");
        ArrayNode values = body.putArray("token_logprobs");
        ArrayNode bases = baseLogprobs ? body.putArray("base_token_logprobs") : null;
        if (topLogprobs > 0) {
            ArrayNode tops = body.putArray("top_logprobs");
            tokens.forEach(
                    token -> tops.add(Double.isNaN(token.logprob()) ? NullNode.getInstance() : topDictionary(token)));
        } else {
            body.putNull("top_logprobs");
        }
        ArrayNode offsets = body.putArray("text_offset");
        for (TokenLogprob token : tokens) {
            texts.add(token.token());
            number(values, token.logprob());
            if (bases != null) number(bases, token.baseLogprob());
            offsets.add(token.textOffset());
        }
        return body;
    }

    private ObjectNode chatEntry(TokenLogprob token) {
        ObjectNode entry = json.createObjectNode().put("token", token.token()).put("logprob", token.logprob());
        bytes(entry, token.bytes());
        if (baseLogprobs) entry.put("base_logprob", token.baseLogprob());
        ArrayNode top = entry.putArray("top_logprobs");
        for (TokenLogprob.Alternative alternative : token.top()) {
            bytes(
                    top.addObject().put("token", alternative.token()).put("logprob", alternative.logprob()),
                    alternative.bytes());
        }
        return entry;
    }

    /** A log-probability, JSON null for NaN (nothing precedes a prompt's first token). */
    private static void number(ArrayNode array, double value) {
        if (Double.isNaN(value)) array.addNull();
        else array.add(value);
    }

    /**
     * A position's alternatives as the legacy completions API gives them: token text to
     * log-probability. Two ids of the same text (e.g. lone parts of a multi-byte character, both
     * U+FFFD) keep the more likely one.
     */
    private ObjectNode topDictionary(TokenLogprob token) {
        ObjectNode dictionary = json.createObjectNode();
        for (TokenLogprob.Alternative alternative : token.top()) {
            if (!dictionary.has(alternative.token())) dictionary.put(alternative.token(), alternative.logprob());
        }
        return dictionary;
    }

    private static void bytes(ObjectNode entry, byte[] values) {
        ArrayNode bytes = entry.putArray("bytes");
        for (byte b : values) bytes.add(b & 0xff);
    }

    private static void ids(ObjectNode owner, String field, long[] ids) {
        ArrayNode array = owner.putArray(field);
        for (long id : ids) array.add(id);
    }

    private static void ids(ObjectNode owner, String field, List<TokenLogprob> tokens) {
        ArrayNode array = owner.putArray(field);
        tokens.stream().filter(token -> !token.prompt()).forEach(token -> array.add(token.id()));
    }

    private ObjectNode usage(RequestSummary summary) {
        ObjectNode usage = json.createObjectNode();
        usage.put("prompt_tokens", summary.promptTokens());
        usage.put("completion_tokens", summary.completionTokens());
        usage.put("total_tokens", summary.promptTokens() + summary.completionTokens());
        return usage;
    }

    private ObjectNode envelope(String object) {
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        body.put("object", object);
        body.put("created", created);
        body.put("model", model);
        return body;
    }
}
