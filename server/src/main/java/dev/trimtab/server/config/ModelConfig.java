package dev.trimtab.server.config;

import dev.trimtab.decoding.engine.SessionSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * One base model and the auxiliary models that strategies may use with it.
 *
 * @param name the name clients send as {@code model}
 * @param path the model directory
 * @param maxRunningRows rows decoding at once; more wait in the queue (default 64)
 * @param maxQueuedRequests requests waiting for rows; beyond them 429 (default 256)
 * @param session ONNX Runtime settings of every model of this entry
 * @param aligned aligned policies for DeRa, by name
 * @param arms autoregressive reward models for GenARM, by name
 * @param rewardModels sequence reward models for best-of-N, by name
 * @param scorers reward models with a KV cache for ARGS, by name
 * @param prefixScorers prefix scorers for controlled decoding, by name
 */
public record ModelConfig(
        String name,
        Path path,
        int maxRunningRows,
        int maxQueuedRequests,
        SessionSettings session,
        Map<String, Path> aligned,
        Map<String, Path> arms,
        Map<String, Path> rewardModels,
        Map<String, Path> scorers,
        Map<String, Path> prefixScorers) {

    public static final int DEFAULT_MAX_RUNNING_ROWS = 64;
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 256;

    public ModelConfig {
        aligned = Map.copyOf(aligned);
        arms = Map.copyOf(arms);
        rewardModels = Map.copyOf(rewardModels);
        scorers = Map.copyOf(scorers);
        prefixScorers = Map.copyOf(prefixScorers);
    }
}
