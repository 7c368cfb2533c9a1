package dev.trimtab.training.train;

import dev.trimtab.training.optim.AdamW;
import dev.trimtab.training.optim.LearningRateSchedule;
import java.util.Objects;

/**
 * How one model is trained.
 *
 * @param steps optimizer steps, >= 1
 * @param batchSize examples per step (pairs for preference objectives), >= 1
 * @param schedule learning rate per step
 * @param optimizer AdamW's settings
 * @param checkpointEvery steps between checkpoints, >= 1 (the last step is always saved)
 * @param logEvery steps between metric records, >= 1
 * @param evalEvery steps between held-out evaluations, >= 1 (the last step is always evaluated)
 * @param seed seeds the batch order
 */
public record RunSettings(
        int steps,
        int batchSize,
        LearningRateSchedule schedule,
        AdamW.Settings optimizer,
        int checkpointEvery,
        int logEvery,
        int evalEvery,
        long seed) {

    public RunSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(optimizer, "optimizer");
        if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || logEvery < 1 || evalEvery < 1) {
            throw new IllegalArgumentException("steps, batch_size, checkpoint_every, log_every and eval_every must be"
                    + " >= 1, got " + steps + ", " + batchSize + ", " + checkpointEvery + ", " + logEvery + ", "
                    + evalEvery);
        }
        if (schedule.total() != steps) {
            throw new IllegalArgumentException(
                    "the schedule covers " + schedule.total() + " steps but the run has " + steps);
        }
    }
}
