package dev.trimtab.decoding.generate;

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
 *
 * <p>Strategies that choose tokens some other way (mixed logits, reward-guided search) still pass
 * every chosen token through {@link #accept}, so end of sequence, stop sequences, the token limit
 * and streaming behave the same for every strategy. Not thread-safe: one scheduler thread owns it.
 */
public final class Sequence {
    private final SamplingParams params;
    private final TokenSampler sampler;
    private final TokenHistory history;
    private final StreamingDetokenizer detokenizer;
    private final StopSequences stops;
    private final Set<Long> eos;
    private final int limit;
    private final int promptTokens;
    private final StringBuilder text = new StringBuilder();
    private long[] generated = new long[16];
    private int count;
    private int released;
    private FinishReason finish;
    private boolean endOfSequence;

    /**
     * @param limit the most tokens this row may generate: max_tokens, or less where the context ends
     * @param vocab the width of the logits this sequence samples from
     */
    public Sequence(GenerationRequest request, StreamingDetokenizer detokenizer, Set<Long> eos, int limit, int vocab) {
        this.params = request.params();
        this.sampler = new TokenSampler(params);
        this.history = new TokenHistory(vocab);
        this.history.addAll(request.promptIds());
        this.detokenizer = detokenizer;
        this.stops = StopSequences.of(params.stop());
        this.eos = eos;
        this.limit = limit;
        this.promptTokens = request.promptLength();
    }

    /**
     * Runs this sequence's processors on {@code logits} (in place) and picks a token from them, as
     * {@link TokenSampler#sample} does; the caller then passes the token to {@link #accept}.
     */
    public int sample(float[] logits) {
        return sampler.sample(logits, history);
    }

    /** Runs this sequence's processors (penalty, temperature, top-k/p, min-p) on {@code logits} in place. */
    public void process(float[] logits) {
        sampler.chain().process(logits, history);
    }

    /** The prompt and accepted tokens; a copy seeds a candidate that explores ahead of this sequence. */
    public TokenHistory history() {
        return history;
    }

    /** The seed of this sequence's sampler, given or drawn. */
    public long seed() {
        return sampler.seed();
    }

    /** The sampling parameters. */
    public SamplingParams params() {
        return params;
    }

    /** Tokens accepted so far (an end-of-sequence token excluded). */
    public int generated() {
        return count;
    }

    /** Tokens this sequence may still accept before it ends with finish reason length. */
    public int remaining() {
        return limit - count;
    }

    /** Takes the chosen token and returns the text it makes final (possibly empty). */
    public String accept(long token) {
        if (!params.ignoreEos() && eos.contains(token)) {
            endOfSequence = true;
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

    /** Whether an end-of-sequence token, a stop sequence or the limit ended the sequence. */
    public boolean finished() {
        return finish != null;
    }

    /** The finished sequence. */
    public Completion completion() {
        if (finish == null) {
            throw new IllegalStateException("the sequence has not finished");
        }
        return new Completion(text.toString(), Arrays.copyOf(generated, count), finish, promptTokens, endOfSequence);
    }
}
