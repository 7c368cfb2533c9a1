package dev.trimtab.server.config;

import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.ModelKind;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the config's {@code models} list: a base model and the auxiliary models that
 * strategies may use with it, by kind (the YAML sections {@code aligned}, {@code arms}, {@code
 * reward_models}, {@code scorers}, {@code prefix_scorers}; see {@link ModelKind#configKey()}).
 *
 * @param name the name clients send as {@code model}
 * @param path the model directory
 * @param maxRunningRows rows decoding at once; more wait in the queue (default 64)
 * @param maxQueuedRequests requests waiting for rows; beyond them 429 (default 256)
 * @param maxPrefillTokens prompt tokens prefilled per scheduler round; a longer prompt is prefilled
 *     a chunk per round (default 256)
 * @param session ONNX Runtime settings of every model of this entry
 * @param auxiliary model directories by kind, then by the name requests use
 * @param rewardLabels for reward models of several labels, the label whose logit is the reward (an
 *     index or a name of the model's {@code id2label}), by the model's name; index 0 when absent
 */
public record ModelEntry(
        String name,
        Path path,
        int maxRunningRows,
        int maxQueuedRequests,
        int maxPrefillTokens,
        SessionSettings session,
        Map<ModelKind, Map<String, Path>> auxiliary,
        Map<String, String> rewardLabels) {

    public static final int DEFAULT_MAX_RUNNING_ROWS = 64;
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 256;
    public static final int DEFAULT_MAX_PREFILL_TOKENS = SchedulerSettings.DEFAULT_MAX_PREFILL_TOKENS;

    public ModelEntry {
        Map<ModelKind, Map<String, Path>> copy = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.values()) {
            copy.put(kind, Collections.unmodifiableMap(new LinkedHashMap<>(auxiliary.getOrDefault(kind, Map.of()))));
        }
        auxiliary = Collections.unmodifiableMap(copy);
        rewardLabels = Map.copyOf(rewardLabels);
    }

    /** The models of {@code kind}, by name, in the file's order. */
    public Map<String, Path> auxiliary(ModelKind kind) {
        return auxiliary.get(kind);
    }
}
