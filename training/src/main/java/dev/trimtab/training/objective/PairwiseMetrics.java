package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The logistic preference loss and its metrics, shared by the pairwise objectives: given the
 * implicit or explicit rewards of the chosen and rejected rows, {@code -log sigma(r_w - r_l)}
 * (computed as {@code softplus(r_l - r_w)}), the accuracy {@code mean[r_w > r_l]}, the mean rewards
 * and their margin, as TRL reports them.
 */
final class PairwiseMetrics {
    private PairwiseMetrics() {}

    static StepLoss loss(NDArray chosenReward, NDArray rejectedReward, int pairs, long tokens) {
        NDArray margin = chosenReward.sub(rejectedReward);
        NDArray loss = Activation.softPlus(margin.neg()).mean();
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("accuracy", margin.gt(0).toType(DataType.FLOAT32, false).mean());
        metrics.put("reward_chosen", chosenReward.mean());
        metrics.put("reward_rejected", rejectedReward.mean());
        metrics.put("reward_margin", margin.mean());
        return new StepLoss(loss, pairs, tokens, metrics);
    }
}
