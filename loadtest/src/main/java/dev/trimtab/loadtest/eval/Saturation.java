package dev.trimtab.loadtest.eval;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where a strategy line stops helping: the strength past which positivity no longer rises significantly, and the
 * first strength whose completions degenerate.
 *
 * @param line the line's name
 * @param parameter the varied parameter's path
 * @param saturatesAt the smallest strength that no larger one beats by more than {@value #SIGNIFICANCE} combined
 *     standard errors of positivity; empty while positivity still rises at the largest strength
 * @param degeneratesAt the smallest strength with at least {@value #DEGENERATE_SHARE} of its completions degenerate
 */
public record Saturation(String line, String parameter, Optional<Double> saturatesAt, Optional<Double> degeneratesAt) {

    /** Standard errors a later gain must exceed to count. */
    public static final double SIGNIFICANCE = 2.0;
    /** The share of degenerate completions that marks a strength as degenerating. */
    public static final double DEGENERATE_SHARE = 0.05;

    /**
     * The saturation of every line that varies one parameter over at least two strengths, in report order.
     */
    public static List<Saturation> of(List<PointResult> points) {
        return points.stream()
                .filter(p -> p.strengths().size() == 1 && !p.grid())
                .map(PointResult::line)
                .distinct()
                .map(line -> points.stream()
                        .filter(p -> p.line().equals(line))
                        .sorted(byStrength())
                        .toList())
                .filter(line -> line.size() > 1)
                .map(Saturation::ofLine)
                .toList();
    }

    private static Comparator<PointResult> byStrength() {
        return Comparator.comparingDouble(PointResult::strength);
    }

    private static Saturation ofLine(List<PointResult> line) {
        PointResult first = line.getFirst();
        Optional<Double> saturates = Optional.empty();
        for (int i = 0; i < line.size() - 1 && saturates.isEmpty(); i++) {
            if (noLaterGain(line, i)) saturates = Optional.of(line.get(i).strength());
        }
        Optional<Double> degenerates = line.stream()
                .filter(p -> p.degenerateFraction() >= DEGENERATE_SHARE)
                .map(PointResult::strength)
                .findFirst();
        return new Saturation(
                first.line(), first.strengths().keySet().iterator().next(), saturates, degenerates);
    }

    private static boolean noLaterGain(List<PointResult> line, int from) {
        Estimate base = line.get(from).positivity();
        for (PointResult later : line.subList(from + 1, line.size())) {
            Estimate e = later.positivity();
            double error = Math.hypot(zeroIfNaN(base.stdError()), zeroIfNaN(e.stdError()));
            if (e.mean() - base.mean() > SIGNIFICANCE * error) return false;
        }
        return true;
    }

    private static double zeroIfNaN(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
