package dev.trimtab.decoding.generate;

import dev.trimtab.decoding.engine.Logits;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.StopSequences;
import dev.trimtab.decoding.sampling.TokenHistory;
import dev.trimtab.decoding.sampling.TokenSampler;
import dev.trimtab.decoding.tokenizer.StreamingDetokenizer;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The state of one row while it decodes: its sampler and token history, the text decoded so far,
 * and how much of it has been released. Text is released only once final: a character still split
 * across tokens, or a suffix that may begin a stop sequence, waits for the next token.
 */
final class Sequence {
    private final SamplingParams params;
    private final TokenSampler sampler;
    private final TokenHistory history;
    private final StreamingDetokenizer detokenizer;
    private final StopSequences stops;
    private final Set<Long> eos;
    private final int limit;
    private final int promptTokens;
    private final float[] row;
    private final StringBuilder text = new StringBuilder();
    private long[] generated = new long[16];
    private int count;
    private int released;
    private FinishReason finish;

    /**
     * @param limit the most tokens this row may generate: max_tokens, or less where the context ends
     */
    Sequence(GenerationRequest request, StreamingDetokenizer detokenizer, Set<Long> eos, int limit, int vocab) {
        this.params = request.params();
        this.sampler = new TokenSampler(params);
        this.history = new TokenHistory(vocab);
        this.history.addAll(request.promptIds());
        this.detokenizer = detokenizer;
        this.stops = StopSequences.of(params.stop());
        this.eos = eos;
        this.limit = limit;
        this.promptTokens = request.promptLength();
        this.row = new float[vocab];
    }

    /** Samples this row's next token from its logits in {@code logits}. */
    long sample(Logits logits, int batchRow) {
        return sampler.sample(logits.copyRow(batchRow, row), history);
    }

    /** Takes the sampled token and returns the text it makes final. */
    String accept(long token) {
        if (!params.ignoreEos() && eos.contains(token)) {
            return finish(FinishReason.STOP);
        }
        append(token);
        int before = text.length();
        text.append(detokenizer.push(token));
        if (truncateAtStop(before)) {
            return finish(FinishReason.STOP);
        }
        if (count >= limit) {
            text.append(detokenizer.finish());
            return truncateAtStop(before) ? finish(FinishReason.STOP) : finish(FinishReason.LENGTH);
        }
        return release(text.length() - stops.holdBack(text));
    }

    private void append(long token) {
        if (count == generated.length) {
            generated = Arrays.copyOf(generated, 2 * count);
        }
        generated[count++] = token;
        history.add(token);
    }

    private boolean truncateAtStop(int appendedAt) {
        int from = Math.max(0, Math.min(text.length(), appendedAt - stops.maxLength() + 1));
        OptionalInt match = stops.firstMatch(text, from);
        match.ifPresent(text::setLength);
        return match.isPresent();
    }

    private String finish(FinishReason reason) {
        finish = reason;
        return release(text.length());
    }

    private String release(int end) {
        int to = Math.max(released, end);
        String delta = text.substring(released, to);
        released = to;
        return delta;
    }

    boolean finished() {
        return finish != null;
    }

    Completion completion() {
        if (finish == null) {
            throw new IllegalStateException("the sequence has not finished");
        }
        return new Completion(text.toString(), Arrays.copyOf(generated, count), finish, promptTokens);
    }
}
