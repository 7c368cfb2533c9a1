package dev.trimtab.training.optim;

/**
 * Linear warmup to the peak rate, then cosine decay to {@code minRatio} of it at the last step
 * (Loshchilov and Hutter 2017, SGDR, eq. 5, one cycle):
 *
 * <pre>
 * lr(t) = peak * (t + 1) / warmup                                          t &lt; warmup
 * lr(t) = peak * (min + (1 - min) * (1 + cos(pi * (t - warmup) / (T - warmup))) / 2)   otherwise
 * </pre>
 *
 * @param peak the rate at the end of warmup, > 0
 * @param warmup warmup steps, in [0, total)
 * @param total steps of the run, >= 1
 * @param minRatio the final rate as a fraction of the peak, in [0, 1]
 */
public record LearningRateSchedule(double peak, int warmup, int total, double minRatio) {

    public LearningRateSchedule {
        if (!(peak > 0) || !Double.isFinite(peak)) {
            throw new IllegalArgumentException("learning_rate must be > 0, got " + peak);
        }
        if (total < 1 || warmup < 0 || warmup >= Math.max(total, 1)) {
            throw new IllegalArgumentException(
                    "warmup_steps must be in [0, steps), got warmup " + warmup + " for " + total + " steps");
        }
        if (!(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException("min_lr_ratio must be in [0, 1], got " + minRatio);
        }
    }

    /** The rate of step {@code t} (0-based). */
    public double at(int t) {
        if (t < warmup) {
            return peak * (t + 1) / warmup;
        }
        double progress = total == warmup ? 1 : Math.min(1.0, (double) (t - warmup) / (total - warmup));
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
