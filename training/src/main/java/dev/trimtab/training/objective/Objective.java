package dev.trimtab.training.objective;

import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.StepScope;
import java.util.List;
import java.util.Map;

/**
 * A training loss over examples of type {@code E}. The training loop draws batches and runs the
 * backward pass; held-out evaluation calls the same method without one, so training and
 * evaluation metrics mean the same thing.
 *
 * @param <E> the example type
 */
public interface Objective<E> {

    /** Whether the objective trains a score head ({@code true}) or a language-model head. */
    boolean scoreHead();

    /** The loss of {@code batch} (a mean over it) and its metrics, computed in {@code step}. */
    StepLoss loss(DjlDecoder model, StepScope step, List<E> batch);

    /** Held-out summary of the mean metrics; next-token prediction adds its perplexity. */
    default Map<String, Double> summarize(Map<String, Double> means) {
        return means;
    }
}
