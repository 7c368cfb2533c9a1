package dev.trimtab.loadtest.eval;

import java.util.List;

/**
 * KL(π_N‖π_base) of best-of-N, analytically bounded and estimated from the rewards of its candidates.
 *
 * <p>Best-of-N returns y with probability π_N(y) = π(y)/p(r_y) · (F(r_y)^N − F⁻(r_y)^N), where F and F⁻ are the
 * probabilities under π_base of a reward ≤ and &lt; r_y, and p(r_y) = F − F⁻ (ties broken uniformly); so
 * log(π_N(y)/π(y)) = log((F^N − F⁻^N)/(F − F⁻)). Its expectation under π_N is the sequence KL, at most
 * log N − (N−1)/N, with equality when rewards never tie (Beirami et al., 2024, "Theoretical guarantees on the
 * best-of-n alignment policy": the analytic formula is an upper bound; the exact KL depends on the reward
 * distribution).
 *
 * <p>The estimate plugs in F and F⁻ from the chosen reward's rank among the rewards of other candidates of the same
 * prompt, drawn from π_base independently of the choice (the candidates of the prompt's other samples), counting the
 * chosen candidate itself once: F = (#others ≤ r_y + 1)/(M + 1), F⁻ = #others &lt; r_y/(M + 1). The candidates of
 * the choice's own draw are left out: they are conditioned on losing to y, and would bias the estimate up (above the
 * bound, at few candidates). Consistent as M grows; at few candidates biased low (for continuous rewards, with 3 × N
 * other candidates: 0.52 for a bound of 0.64 at N = 4, 1.66 for 1.84 at N = 16, 3.01 for 3.18 at N = 64, by
 * simulation).
 */
public final class BestOfNKl {
    private BestOfNKl() {}

    /** The analytic bound log N − (N−1)/N; NaN for N &lt; 1. */
    public static double bound(int n) {
        if (n < 1) return Double.NaN;
        return Math.log(n) - (n - 1.0) / n;
    }

    /**
     * The plug-in log(π_N(y)/π(y)) of a chosen reward, ranked among {@code otherRewards}: rewards of candidates drawn
     * for the same prompt independently of this choice.
     */
    public static double logRatio(double chosenReward, List<Double> otherRewards, int n) {
        if (n < 1) return Double.NaN;
        int atMost = 1; // the chosen candidate itself
        int below = 0;
        for (double r : otherRewards) {
            if (r <= chosenReward) atMost++;
            if (r < chosenReward) below++;
        }
        double size = otherRewards.size() + 1.0;
        double f = atMost / size;
        double fBelow = below / size;
        return Math.log((Math.pow(f, n) - Math.pow(fBelow, n)) / (f - fBelow));
    }
}
