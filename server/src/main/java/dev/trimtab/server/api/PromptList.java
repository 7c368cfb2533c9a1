package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads a field that holds prompts the way OpenAI's {@code prompt} (and vLLM's {@code input}) does. */
final class PromptList {
    private PromptList() {}

    /**
     * The prompts of {@code field}: a string, a list of strings, a list of token ids, or a list of
     * such lists (at most {@link CompletionRequest#MAX_PROMPTS}).
     */
    static List<PromptInput> read(JsonNode prompt, String field, boolean asText) {
        if (prompt == null || prompt.isNull()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (prompt.isTextual()) {
            return List.of(new PromptInput.Text(prompt.asText(), asText));
        }
        if (!prompt.isArray() || prompt.isEmpty()) {
            throw ApiException.invalid(
                    field,
                    field
                            + " must be a string, a non-empty list of strings, a list of token ids or a list of such lists");
        }
        if (prompt.get(0).isIntegralNumber()) {
            return List.of(new PromptInput.Tokens(tokenIds(prompt, field)));
        }
        if (prompt.size() > CompletionRequest.MAX_PROMPTS) {
            throw ApiException.invalid(
                    field,
                    field + " must hold at most " + CompletionRequest.MAX_PROMPTS + " prompts, got " + prompt.size());
        }
        List<PromptInput> prompts = new ArrayList<>();
        for (int i = 0; i < prompt.size(); i++) {
            prompts.add(listItem(prompt.get(i), field + "[" + i + "]", asText));
        }
        return prompts;
    }

    private static PromptInput listItem(JsonNode item, String name, boolean asText) {
        if (item.isTextual()) return new PromptInput.Text(item.asText(), asText);
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
}
