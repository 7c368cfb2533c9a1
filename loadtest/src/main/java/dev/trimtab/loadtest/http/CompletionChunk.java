package dev.trimtab.loadtest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One {@code data:} payload of an OpenAI completions stream: {@code {"choices": [{"text": "..."}], "usage": ...}}.
 *
 * @param text the text of all choices together, empty for a chunk without text (e.g. the final usage chunk)
 * @param completionTokens {@code usage.completion_tokens}, or -1 when the chunk carries no usage
 * @param promptTokens {@code usage.prompt_tokens}, or -1 when the chunk carries no usage
 * @param error the message of an {@code {"error": ...}} event, or null
 */
public record CompletionChunk(String text, int completionTokens, int promptTokens, String error) {

    /** The payload that ends an OpenAI stream. */
    public static final String DONE = "[DONE]";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 120;

    public boolean hasText() {
        return !text.isEmpty();
    }

    /**
     * Parses one event's data.
     *
     * @throws MalformedSseException if it is not a JSON object with a {@code choices} array (or a usage report, or an
     *     error) whose texts are strings
     */
    public static CompletionChunk parse(String data) {
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new MalformedSseException("data is not JSON (" + e.getOriginalMessage() + "): " + excerpt(data));
        }
        if (node == null || !node.isObject()) {
            throw new MalformedSseException("data is not a JSON object: " + excerpt(data));
        }
        if (node.hasNonNull("error")) {
            return new CompletionChunk("", -1, -1, errorMessage(node.get("error")));
        }
        JsonNode usage = node.path("usage");
        return new CompletionChunk(
                text(node, usage.isObject(), data),
                tokens(usage, "completion_tokens", data),
                tokens(usage, "prompt_tokens", data),
                null);
    }

    private static String text(JsonNode node, boolean hasUsage, String data) {
        JsonNode choices = node.get("choices");
        if (choices == null || choices.isNull()) {
            if (hasUsage) {
                return "";
            }
            throw new MalformedSseException("chunk has no \"choices\" array: " + excerpt(data));
        }
        if (!choices.isArray()) {
            throw new MalformedSseException("chunk field \"choices\" must be an array: " + excerpt(data));
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode choice : choices) {
            JsonNode piece = choice.get("text");
            if (piece != null && !piece.isNull() && !piece.isTextual()) {
                throw new MalformedSseException("chunk field \"choices[].text\" must be a string: " + excerpt(data));
            }
            text.append(piece == null || piece.isNull() ? "" : piece.asText());
        }
        return text.toString();
    }

    private static int tokens(JsonNode usage, String field, String data) {
        JsonNode count = usage.get(field);
        if (!usage.isObject() || count == null || count.isNull()) {
            return -1;
        }
        if (!count.isIntegralNumber() || count.asLong() < 0 || count.asLong() > Integer.MAX_VALUE) {
            throw new MalformedSseException("usage." + field + " must be a non-negative integer: " + excerpt(data));
        }
        return count.asInt();
    }

    private static String errorMessage(JsonNode error) {
        JsonNode message = error.path("message");
        return message.isTextual() ? message.asText() : error.toString();
    }

    static String excerpt(String data) {
        return data.length() <= EXCERPT ? data : data.substring(0, EXCERPT) + "...";
    }
}
