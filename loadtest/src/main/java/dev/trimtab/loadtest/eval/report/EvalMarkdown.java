package dev.trimtab.loadtest.eval.report;

import dev.trimtab.loadtest.Numbers;
import dev.trimtab.loadtest.eval.Estimate;
import dev.trimtab.loadtest.eval.EvalReport;
import dev.trimtab.loadtest.eval.KlMethod;
import dev.trimtab.loadtest.eval.PointResult;
import dev.trimtab.loadtest.eval.Saturation;
import dev.trimtab.loadtest.eval.TextMetrics;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The evaluation as Markdown: the settings, one table row per point, and what each column means. */
public final class EvalMarkdown {
    private EvalMarkdown() {}

    public static String render(EvalReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# Alignment evaluation\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Server %s, model `%s`; %d prompts of `%s` × %d samples, `max_tokens` %d, temperature 1, seed %d;"
                        + " %.0f s in all.%n%n",
                report.url(),
                report.model(),
                report.promptCount(),
                report.prompts(),
                report.samplesPerPrompt(),
                report.maxTokens(),
                report.seed(),
                report.elapsedSeconds()));
        md.append("| point | positivity | conciseness | KL (nats) | Δ log π_base | distinct-2 | tokens | degenerate"
                + " | forward tokens per sample | × none wall/token |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (PointResult point : report.points()) {
            md.append(row(point));
        }
        md.append('\n').append(saturation(report)).append(legend());
        return md.toString();
    }

    static String row(PointResult p) {
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %.3f | %.1f | %.0f%% | %s | %.2f |%n",
                p.label(),
                estimate(p.positivity(), 3),
                estimate(p.conciseness(), 3),
                kl(p),
                estimate(p.baseLogprobShift(), 1),
                p.distinct2(),
                p.meanTokens(),
                100 * p.degenerateFraction(),
                cost(p),
                p.wallVsNone());
    }

    static String estimate(Estimate e, int digits) {
        if (Double.isNaN(e.mean())) return "–";
        String format = "%." + digits + "f";
        String mean = String.format(Locale.ROOT, format, e.mean());
        return Double.isNaN(e.stdError()) ? mean : mean + " ± " + String.format(Locale.ROOT, format, e.stdError());
    }

    private static String kl(PointResult p) {
        if (p.klMethod() == KlMethod.UNMEASURED) return "n/m";
        String measured = estimate(p.kl(), 2);
        return p.klMethod() == KlMethod.SELECTION
                ? measured + String.format(Locale.ROOT, " (bound %.2f)", p.klBound())
                : measured;
    }

    private static String cost(PointResult p) {
        return p.forwardTokensPerSample().entrySet().stream()
                .sorted(java.util.Comparator.comparing((java.util.Map.Entry<String, Double> e) ->
                                !"base".equals(p.roles().get(e.getKey())))
                        .thenComparing(e -> p.roles().getOrDefault(e.getKey(), ""))
                        .thenComparing(java.util.Map.Entry::getKey))
                .map(e -> String.format(
                        Locale.ROOT, "%s %s %.0f", p.roles().getOrDefault(e.getKey(), "?"), e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Where each line stops helping, or an empty string when no line has two strengths. */
    static String saturation(EvalReport report) {
        List<Saturation> lines = Saturation.of(report.points());
        if (lines.isEmpty()) return "";
        StringBuilder md = new StringBuilder("Where strength stops helping (positivity gains within ")
                .append(Numbers.trim(Saturation.SIGNIFICANCE))
                .append(" standard errors; degenerate: at least ")
                .append(Numbers.trim(100 * Saturation.DEGENERATE_SHARE))
                .append("% of completions):\n\n");
        for (Saturation line : lines) {
            md.append("- ")
                    .append(line.line())
                    .append(" (")
                    .append(line.parameter())
                    .append("): ");
            md.append(line.saturatesAt()
                    .map(s -> "saturates at " + Numbers.trim(s))
                    .orElse("still rising at the largest strength"));
            md.append(line.degeneratesAt()
                    .map(s -> "; degenerates from " + Numbers.trim(s))
                    .orElse("; no degeneration"));
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    private static String legend() {
        return String.join(
                "\n",
                "Columns:",
                "",
                "- positivity, conciseness: gold rewards of the completion text, mean ± standard error (errors by"
                        + " prompt clusters: samples of one prompt are correlated).",
                "- KL: KL(π‖π_base) per sequence. For none, DeRa, GenARM, ARGS and tokenwise CD, "
                        + KlMethod.TOKENS.description()
                        + " (the server's log-probabilities are those of the distribution each token was drawn from,"
                        + " for ARGS and tokenwise CD the softmax over the k candidates, 0 for a greedy choice;"
                        + " the base's come from rescoring the returned token ids with `echo` and `max_tokens: 0`)."
                        + " For best-of-N, "
                        + KlMethod.SELECTION.description()
                        + ": log((F^N − F⁻^N)/(F − F⁻)), F and F⁻ the chosen reward's rank (≤, <) among the"
                        + " candidates drawn for the prompt's other samples and itself; biased low at few candidates,"
                        + " shown beside the analytic bound log N − (N−1)/N. n/m: not measured (blockwise CD and"
                        + " speculative rejection keep one of several base continuations; their per-token"
                        + " log-probabilities are the base's).",
                "- Δ log π_base: mean log π_base(y) of the point's completions minus that of none's (nats per"
                        + " sequence); lower means text the base finds less likely. Not a KL: it also moves with length"
                        + " and entropy.",
                "- distinct-2: distinct word bigrams over all word bigrams of the point's completions.",
                "- tokens: generated tokens per completion, the EOS included when chosen.",
                "- degenerate: completions with a repetition loop: " + TextMetrics.CHARACTER_RUN
                        + " identical non-space characters in a row, or 1–" + TextMetrics.LOOP_MAX_WORDS
                        + " words repeated " + TextMetrics.LOOP_REPEATS + " times back to back.",
                "- forward tokens per sample: from the answers' `alignment` accounting, per model with its role.",
                "- × none wall/token: request wall time per generated token over none's, requests of all points"
                        + " interleaved one at a time (noisy on a shared machine).",
                "");
    }
}
