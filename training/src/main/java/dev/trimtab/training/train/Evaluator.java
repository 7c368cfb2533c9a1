package dev.trimtab.training.train;

import ai.djl.ndarray.NDManager;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.StepScope;
import dev.trimtab.training.objective.Objective;
import dev.trimtab.training.objective.StepLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An objective's metrics over a held-out set, without gradients: each metric averaged over batches
 * weighted by {@link StepLoss#weight()}, then {@link Objective#summarize summarized} (perplexity).
 */
public final class Evaluator {
    private Evaluator() {}

    public static <E> Map<String, Double> evaluate(
            Objective<E> objective, DjlDecoder model, NDManager manager, List<E> examples, int batchSize) {
        Map<String, Double> sums = new LinkedHashMap<>();
        double weight = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<E> batch = examples.subList(from, Math.min(examples.size(), from + batchSize));
            try (StepScope step = StepScope.open(manager)) {
                StepLoss loss = objective.loss(model, step, batch);
                double w = loss.weight();
                loss.read().forEach((name, value) -> sums.merge(name, value * w, Double::sum));
                weight += w;
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        double total = weight;
        sums.forEach((name, sum) -> means.put(name, sum / total));
        return objective.summarize(means);
    }
}
