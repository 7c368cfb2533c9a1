package dev.trimtab.training.pipeline;

import dev.trimtab.training.optim.AdamW;
import dev.trimtab.training.optim.LearningRateSchedule;
import dev.trimtab.training.train.RunSettings;
import java.util.Set;

/**
 * The optimizer and loop settings of a run: the recipe's {@code defaults}, overridden key by key
 * in each run.
 *
 * @param batchSize examples (or pairs) per step; default 32
 * @param learningRate peak AdamW rate; default 1e-3
 * @param warmupSteps linear warmup; default 20
 * @param minLrRatio final rate of the cosine decay as a fraction of the peak; default 0.1
 * @param weightDecay decoupled decay of matrices; default 0.01
 * @param clipNorm global gradient-norm clip, 0 disables; default 1.0
 * @param beta1 AdamW first-moment decay; default 0.9
 * @param beta2 AdamW second-moment decay; default 0.95 (as GPT-3 and Llama train)
 * @param checkpointEvery steps between checkpoints; default 100
 * @param logEvery steps between metric lines; default 10
 * @param evalEvery steps between held-out evaluations; default 100
 */
public record TrainingSection(
        int batchSize,
        double learningRate,
        int warmupSteps,
        double minLrRatio,
        double weightDecay,
        double clipNorm,
        double beta1,
        double beta2,
        int checkpointEvery,
        int logEvery,
        int evalEvery) {

    /** The defaults every run starts from when the recipe sets nothing. */
    public static final TrainingSection DEFAULTS =
            new TrainingSection(32, 1e-3, 20, 0.1, 0.01, 1.0, 0.9, 0.95, 100, 10, 100);

    static final Set<String> KEYS = Set.of(
            "batch_size",
            "learning_rate",
            "warmup_steps",
            "min_lr_ratio",
            "weight_decay",
            "clip_norm",
            "beta1",
            "beta2",
            "checkpoint_every",
            "log_every",
            "eval_every");

    /** The keys of {@code node} that are set, over {@code base}. */
    static TrainingSection read(ConfigNode node, TrainingSection base) {
        return new TrainingSection(
                node.integer("batch_size", base.batchSize, 1, 4096),
                node.number("learning_rate", base.learningRate, 0, true, 1),
                node.integer("warmup_steps", base.warmupSteps, 0, 1_000_000),
                node.number("min_lr_ratio", base.minLrRatio, 0, false, 1),
                node.number("weight_decay", base.weightDecay, 0, false, 1),
                node.number("clip_norm", base.clipNorm, 0, false, 1e6),
                node.number("beta1", base.beta1, 0, false, 0.9999),
                node.number("beta2", base.beta2, 0, false, 0.99999),
                node.integer("checkpoint_every", base.checkpointEvery, 1, 1_000_000),
                node.integer("log_every", base.logEvery, 1, 1_000_000),
                node.integer("eval_every", base.evalEvery, 1, 1_000_000));
    }

    /** The run settings for {@code steps} steps; warmup is capped below the step count. */
    public RunSettings settings(int steps, long seed) {
        int warmup = Math.min(warmupSteps, Math.max(0, steps - 1));
        return new RunSettings(
                steps,
                batchSize,
                new LearningRateSchedule(learningRate, warmup, steps, minLrRatio),
                new AdamW.Settings(beta1, beta2, 1e-8, weightDecay, clipNorm),
                checkpointEvery,
                logEvery,
                evalEvery,
                seed);
    }
}
