package dev.trimtab.loadtest.workload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each request asks for: prompts, a max_tokens distribution, a strategy mix and extra body fields sent with
 * every request (e.g. {@code {"temperature": 0.7}}).
 *
 * <p>Every request is a streaming completions request with {@code stream_options.include_usage}, so that the last
 * chunk reports the exact completion token count.
 */
public record Workload(PromptSource prompts, LengthDistribution maxTokens, StrategyMix mix, ObjectNode extraBody) {

    /** Fields the load tester sets itself; {@code extraBody} may not override them. */
    public static final List<String> RESERVED_FIELDS =
            List.of("model", "prompt", "max_tokens", "stream", "stream_options", "alignment");

    public Workload {
        if (prompts == null || maxTokens == null || mix == null || extraBody == null) {
            throw new IllegalArgumentException("workload prompts, maxTokens, mix and extraBody must be non-null");
        }
        for (String field : RESERVED_FIELDS) {
            if (extraBody.has(field)) {
                throw new IllegalArgumentException("extra body must not set \"" + field
                        + "\" (the load tester sets it; use its own option), got " + extraBody);
            }
        }
        extraBody = extraBody.deepCopy();
    }

    /** A copy of the extra body fields. */
    @Override
    public ObjectNode extraBody() {
        return extraBody.deepCopy();
    }

    /** Generated prompts of 64 words, max_tokens 128, no alignment field, no extra body fields. */
    public static Workload defaults() {
        return new Workload(
                new GeneratedPrompts(LengthDistribution.fixed(64)),
                LengthDistribution.fixed(128),
                StrategyMix.serverDefault(),
                JsonNodeFactory.instance.objectNode());
    }

    /** Draws request {@code index} from its own random stream, so that a seed replays the same requests. */
    public RequestSpec request(String model, long index, SplittableRandom random) {
        Prompt prompt = prompts.prompt(index, random);
        int tokens = prompt.maxTokens().orElseGet(() -> maxTokens.sample(random));
        StrategyMix.Entry strategy = mix.pick(random);
        ObjectNode body = extraBody.deepCopy();
        body.put("model", model)
                .put("prompt", prompt.text())
                .put("max_tokens", tokens)
                .put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        strategy.alignment().ifPresent(alignment -> body.set("alignment", alignment));
        return new RequestSpec(index, strategy.name(), prompt.text(), tokens, body);
    }

    public Workload withPrompts(PromptSource newPrompts) {
        return new Workload(newPrompts, maxTokens, mix, extraBody);
    }

    public Workload withMaxTokens(LengthDistribution newMaxTokens) {
        return new Workload(prompts, newMaxTokens, mix, extraBody);
    }

    public Workload withMix(StrategyMix newMix) {
        return new Workload(prompts, maxTokens, newMix, extraBody);
    }

    public Workload withExtraBody(ObjectNode newExtraBody) {
        return new Workload(prompts, maxTokens, mix, newExtraBody);
    }
}
