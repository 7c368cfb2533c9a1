package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.rewards.gold.GoldRewards;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One model the recipe trains.
 *
 * @param name the run's name and the exported model's directory, {@code [a-z0-9-]+}
 * @param objective what it trains
 * @param architecture a key of {@code architectures} to start from fresh weights, or null
 * @param init an earlier run to start from, or null (exactly one of the two is set)
 * @param reward the gold reward whose preferences or values it learns (not for SFT)
 * @param beta DPO's beta or GenARM's beta_r; default 0.1
 * @param steps optimizer steps
 * @param training optimizer and loop settings
 * @param export whether the model is exported into the bundle; default true
 * @param withPast for a reward model, the name under which it is also exported as a score-head
 *     decoder with past (an incremental scorer), or null
 * @param quantized names under which the model is also exported in another precision ({@code
 *     also_export_quantized: {base-int4: int4}}: fp16, int8 or int4, blocks of 32, symmetric), each
 *     checked against the float32 export; empty by default
 */
public record RunSection(
        String name,
        ObjectiveKind objective,
        String architecture,
        String init,
        String reward,
        double beta,
        int steps,
        TrainingSection training,
        boolean export,
        String withPast,
        Map<String, WeightPrecision> quantized) {

    /** Default beta of DPO and GenARM, the value both papers use most. */
    public static final double DEFAULT_BETA = 0.1;

    static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]*";

    static RunSection read(ConfigNode node, TrainingSection defaults) {
        Set<String> known = new HashSet<>(TrainingSection.KEYS);
        known.addAll(Set.of(
                "name",
                "objective",
                "architecture",
                "init",
                "reward",
                "beta",
                "steps",
                "export",
                "also_export_with_past",
                "also_export_quantized"));
        node.onlyKeys(known);
        String name = node.text("name", null);
        if (name != null && !name.matches(NAME_PATTERN)) {
            node.errors().add(node.path() + ".name must match " + NAME_PATTERN + " (a directory name), got " + name);
        }
        String objectiveText = node.text("objective", null);
        ObjectiveKind objective = objectiveText == null
                ? null
                : ObjectiveKind.parse(objectiveText).orElse(null);
        if (objectiveText != null && objective == null) {
            node.errors()
                    .add(node.path() + ".objective must be one of " + ObjectiveKind.known() + ", got " + objectiveText);
        }
        String reward = node.text("reward", "");
        if (!reward.isEmpty() && !GoldRewards.names().contains(reward)) {
            node.errors()
                    .add(node.path() + ".reward must be one of " + String.join(", ", GoldRewards.names()) + ", got "
                            + reward);
        }
        return new RunSection(
                name,
                objective,
                node.text("architecture", "").isEmpty() ? null : node.text("architecture", ""),
                node.text("init", "").isEmpty() ? null : node.text("init", ""),
                reward.isEmpty() ? null : reward,
                node.number("beta", DEFAULT_BETA, 0, true, 1000),
                node.integer("steps", 0, 1, 10_000_000),
                TrainingSection.read(node, defaults),
                node.bool("export", true),
                node.text("also_export_with_past", "").isEmpty() ? null : node.text("also_export_with_past", ""),
                quantized(node));
    }

    /** {@code also_export_quantized}: an object of model names to precisions, each checked. */
    private static Map<String, WeightPrecision> quantized(ConfigNode node) {
        Map<String, WeightPrecision> quantized = new LinkedHashMap<>();
        JsonNode value = node.raw() == null ? null : node.raw().get("also_export_quantized");
        String where = node.path() + ".also_export_quantized";
        if (value == null || value.isNull()) {
            return quantized;
        }
        if (!value.isObject()) {
            node.errors().add(where + " must map model names to precisions, e.g. {base-int4: int4}, got " + value);
            return quantized;
        }
        value.fields().forEachRemaining(entry -> {
            if (!entry.getKey().matches(NAME_PATTERN)) {
                node.errors().add(where + ": the name must match " + NAME_PATTERN + ", got " + entry.getKey());
            }
            WeightPrecision.Format format = null;
            for (WeightPrecision.Format candidate : WeightPrecision.Format.values()) {
                if (candidate != WeightPrecision.Format.FP32
                        && candidate.label().equals(entry.getValue().asText())) {
                    format = candidate;
                }
            }
            if (format == null || !entry.getValue().isTextual()) {
                node.errors()
                        .add(where + "." + entry.getKey() + " must be fp16, int8 or int4, got " + entry.getValue());
            } else {
                quantized.put(entry.getKey(), WeightPrecision.of(format));
            }
        });
        return quantized;
    }
}
