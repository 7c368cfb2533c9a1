package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.server.api.CompletionRequest;
import dev.trimtab.server.engine.ChoiceResult;
import dev.trimtab.server.engine.RequestSummary;
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

    ResponseBodies(ObjectMapper json, CompletionRequest.Kind kind, String id, long created, String model) {
        this.json = json;
        this.kind = kind;
        this.id = id;
        this.created = created;
        this.model = model;
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
            item.putNull("logprobs");
            item.put("finish_reason", choice.finishReason());
            choice.reward().ifPresent(reward -> item.put("reward", reward));
        }
        body.set("usage", usage(summary));
        body.set("alignment", summary.alignment());
        return body;
    }

    /** A stream chunk carrying text of one choice. */
    ObjectNode textChunk(int index, String text, boolean first) {
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
        item.putNull("logprobs");
        item.putNull("finish_reason");
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
