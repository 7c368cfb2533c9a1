package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A validated request to score texts with a served reward model, in vLLM's {@code /classify}
 * shape.
 *
 * @param model the base model whose reward models are meant
 * @param inputs the texts or token ids to score (token ids are the reward model's own)
 * @param rewardModel the reward model, by the name {@code /v1/models} lists; empty for the only one
 * @param useActivation whether {@code probs} are the labels' probabilities (vLLM's {@code
 *     use_activation}, default true) rather than the raw logits
 */
public record ClassifyRequest(
        String model, List<PromptInput> inputs, Optional<String> rewardModel, boolean useActivation) {

    public ClassifyRequest {
        inputs = List.copyOf(inputs);
    }

    /**
     * Reads {@code model}, {@code input} (a string, a list of strings, a list of token ids or a list
     * of such lists), {@code reward_model}, {@code use_activation} and {@code user}.
     *
     * @throws ApiException 400 naming the first field that breaks a rule
     */
    public static ClassifyRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object");
        }
        JsonFields fields = new JsonFields(body, "");
        String model = fields.requiredString("model");
        List<PromptInput> inputs = PromptList.read(body.get("input"), "input", false);
        Optional<String> rewardModel = fields.optionalString("reward_model");
        boolean activation =
                !body.has("use_activation") || body.get("use_activation").isNull() || fields.flag("use_activation");
        fields.optionalString("user");
        return new ClassifyRequest(model, inputs, rewardModel, activation);
    }
}
