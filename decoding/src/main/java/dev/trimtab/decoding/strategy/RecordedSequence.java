package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One candidate's sequence with every token it drew recorded (its id, the text it released, its
 * log-probabilities), so that a strategy choosing among candidates streams the chosen one afterwards:
 * what best-of-N and speculative rejection keep per candidate.
 */
public final class RecordedSequence {
    private final RequestContext context;
    private final Sequence sequence;
    private final List<Long> tokens = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final List<TokenLogprobs> logprobs = new ArrayList<>();

    public RecordedSequence(RequestContext context, Sequence sequence) {
        this.context = context;
        this.sequence = sequence;
    }

    /** Samples from {@code from}'s logits (the base's, masked to the shared ids) and records the token. */
    public long draw(Row from) {
        float[] logits = context.baseLogits(from);
        double normalizer = context.logprobs() ? LogSoftmax.logSumExp(logits) : Double.NaN;
        int token = sequence.sample(logits);
        double baseLogprob = context.baseLogprob(from, token);
        record(token, sequence.accept(token), TokenLogprobs.of(from.logit(token) - normalizer, baseLogprob));
        return token;
    }

    /** Takes {@code parent}'s tokens, text and log-probabilities as its own, as if it had drawn them. */
    public void continueFrom(RecordedSequence parent) {
        parent.tokens.forEach(sequence::accept);
        tokens.addAll(parent.tokens);
        texts.addAll(parent.texts);
        logprobs.addAll(parent.logprobs);
    }

    private void record(long token, String text, TokenLogprobs logprob) {
        tokens.add(token);
        texts.add(text);
        logprobs.add(logprob);
    }

    public boolean finished() {
        return sequence.finished();
    }

    public Completion completion() {
        return sequence.completion();
    }

    /** The last token drawn. */
    public long lastToken() {
        return tokens.get(tokens.size() - 1);
    }

    /** {@code prompt} followed by every token drawn so far. */
    public long[] prefix(long[] prompt) {
        long[] prefix = Arrays.copyOf(prompt, prompt.length + tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            prefix[prompt.length + i] = tokens.get(i);
        }
        return prefix;
    }

    /** {@code prompt} followed by the completion (an end-of-sequence token left out): what a reward model scores. */
    public long[] scored(long[] prompt) {
        long[] completion = completion().tokenIds();
        long[] scored = Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, scored, prompt.length, completion.length);
        return scored;
    }

    /** Emits every recorded token to the request, once this candidate is chosen. */
    public void replay() {
        for (int i = 0; i < tokens.size(); i++) {
            context.emit(tokens.get(i), texts.get(i), logprobs.get(i));
        }
    }
}
