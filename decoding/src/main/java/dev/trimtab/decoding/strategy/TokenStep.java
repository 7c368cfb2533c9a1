package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TokenAlternative;
import dev.trimtab.decoding.sampling.TokenLogprobs;
import dev.trimtab.decoding.sampling.TopLogprobs;
import java.util.List;

/**
 * The end of a round for a strategy that decodes one sequence from a distribution of its own: its
 * log-probability of the sampled token (and, when asked, the most likely alternatives) under the
 * strategy's logits before the request's processors, the draw, the token emitted, then the request
 * finished or every row fed the token. Written once for plain sampling, DeRa and GenARM.
 */
public final class TokenStep {
    private final RequestContext context;
    private final Sequence sequence;
    private float[] unprocessed = new float[0];

    public TokenStep(RequestContext context, Sequence sequence) {
        this.context = context;
        this.sequence = sequence;
    }

    /**
     * Samples from {@code logits} (the strategy's distribution, changed in place by the request's
     * processors), emits the token with its log-probability under {@code logits} as given (and,
     * when asked, under {@code base}, the base model's row), then finishes the request or feeds the
     * token to every one of {@code rows}.
     */
    public void sampleAndAdvance(float[] logits, Row base, List<Row> rows) {
        double normalizer = Double.NaN;
        if (context.logprobs()) {
            normalizer = LogSoftmax.logSumExp(logits);
            unprocessed = copy(logits, unprocessed);
        }
        int token = sequence.sample(logits);
        double logprob = context.logprobs() ? unprocessed[token] - normalizer : Double.NaN;
        List<TokenAlternative> top =
                context.topLogprobs() > 0 ? TopLogprobs.of(unprocessed, normalizer, context.topLogprobs()) : List.of();
        double baseLogprob = context.baseLogprob(base, token);
        context.emit(token, sequence.accept(token), TokenLogprobs.of(logprob, baseLogprob, top));
        if (sequence.finished()) {
            context.finish(sequence.completion());
        } else {
            rows.forEach(row -> row.feed(token));
        }
    }

    private static float[] copy(float[] source, float[] target) {
        float[] into = target.length == source.length ? target : new float[source.length];
        System.arraycopy(source, 0, into, 0, source.length);
        return into;
    }
}
