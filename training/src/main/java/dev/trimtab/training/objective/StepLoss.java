package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss of one batch.
 *
 * @param value the scalar loss to differentiate
 * @param weight how much this batch counts in a mean over batches: target tokens for
 *     language modelling, pairs or sequences otherwise
 * @param tokens real tokens the batch ran through the model (for throughput)
 * @param metrics scalar metrics, each a mean over the batch (the loss is added as {@code loss})
 */
public record StepLoss(NDArray value, double weight, long tokens, Map<String, NDArray> metrics) {

    public StepLoss {
        metrics = new LinkedHashMap<>(metrics);
        metrics.putIfAbsent("loss", value);
    }

    /** Reads every metric (the loss included) back to Java. */
    public Map<String, Double> read() {
        Map<String, Double> values = new LinkedHashMap<>();
        metrics.forEach((name, array) -> values.put(name, (double) array.getFloat()));
        return values;
    }
}
