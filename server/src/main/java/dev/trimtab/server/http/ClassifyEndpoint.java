package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.strategy.Choice;
import dev.trimtab.rewards.model.RewardLabels;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.ClassifyRequest;
import dev.trimtab.server.serving.ClassifyScores;
import dev.trimtab.server.serving.ServedModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST /v1/classify} (and vLLM's path {@code /classify}): scores texts with a served reward
 * model without generating, in vLLM's classification shape. Parsed on the event loop, scored on a
 * prompt worker, answered on the connection's context.
 */
final class ClassifyEndpoint {
    private final ObjectMapper json;
    private final ErrorBodies errors;
    private final Function<String, ServedModel> models;
    private final PromptWorkers workers;

    ClassifyEndpoint(
            ObjectMapper json, ErrorBodies errors, Function<String, ServedModel> models, PromptWorkers workers) {
        this.json = json;
        this.errors = errors;
        this.models = models;
        this.workers = workers;
    }

    void classify(RoutingContext ctx) {
        try {
            ClassifyRequest request = ClassifyRequest.parse(JsonBodies.read(json, ctx));
            ServedModel model = models.apply(request.model());
            Context context = Vertx.currentContext();
            workers.run(() -> model.classify(request))
                    .whenComplete((scores, error) -> context.runOnContext(v -> {
                        if (error != null) {
                            errors.send(ctx.response(), ErrorBodies.refusal(error));
                        } else {
                            ctx.response()
                                    .putHeader("content-type", "application/json")
                                    .end(body(request, model.name(), scores).toString());
                        }
                    }));
        } catch (ApiException e) {
            errors.send(ctx.response(), e);
        }
    }

    /**
     * vLLM's response: per input its {@code index}, {@code label} (the most probable), {@code probs}
     * (every label's probability, or its logit without activation) and {@code num_classes}; plus
     * {@code score}, the reward (the reward label's logit, what best-of-N and ARGS rank by), and the
     * {@code reward_model} that scored.
     */
    private ObjectNode body(ClassifyRequest request, String model, ClassifyScores scores) {
        ObjectNode body = json.createObjectNode()
                .put("id", "classify-" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "list")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model)
                .put("reward_model", scores.rewardModel());
        ArrayNode data = body.putArray("data");
        RewardLabels labels = scores.labels();
        for (int i = 0; i < scores.logits().size(); i++) {
            float[] logits = scores.logits().get(i);
            double[] probs = labels.activate(logits);
            ObjectNode item = data.addObject().put("index", i);
            item.put("label", labels.names().get(Choice.argmax(probs)));
            ArrayNode values = item.putArray("probs");
            for (int j = 0; j < logits.length; j++) {
                if (request.useActivation()) values.add(probs[j]);
                else values.add(logits[j]);
            }
            item.put("num_classes", logits.length);
            item.put("score", logits[labels.reward()]);
        }
        body.putObject("usage")
                .put("prompt_tokens", scores.promptTokens())
                .put("total_tokens", scores.promptTokens())
                .put("completion_tokens", 0)
                .putNull("prompt_tokens_details");
        return body;
    }
}
