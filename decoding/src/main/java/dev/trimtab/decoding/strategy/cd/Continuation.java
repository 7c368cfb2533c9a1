package dev.trimtab.decoding.strategy.cd;

import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TokenHistory;
import dev.trimtab.decoding.sampling.TokenLogprobs;
import dev.trimtab.decoding.sampling.TokenSampler;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import java.util.Arrays;

/**
 * One of blockwise controlled decoding's K continuations: its own sampler (its random stream runs
 * on across blocks, so that K = 1 samples exactly as plain decoding), a history copied from the
 * committed text at each block's start, the block's tokens, and its base row and, with a prefix
 * scorer, its scorer row (none with a sequence reward model, which is given the value instead).
 */
final class Continuation {
    private final RequestContext context;
    private final TokenSampler sampler;
    private final long[] tokens;
    private final TokenLogprobs[] logprobs;
    private TokenHistory history;
    private int length;
    private int blockLength;
    private boolean ended;
    private boolean fresh;
    private double value;
    private Row base;
    private Row scorer;

    Continuation(RequestContext context, long seed, int maxBlock) {
        this.context = context;
        this.sampler = new TokenSampler(context.sampling().withSeed(seed));
        this.tokens = new long[maxBlock];
        this.logprobs = new TokenLogprobs[maxBlock];
    }

    /**
     * Starts a block of {@code blockTokens} tokens after {@code committed}; draws its first token from
     * {@code start}.
     */
    long begin(TokenHistory committed, int blockTokens, Row start) {
        history = committed.copy();
        blockLength = blockTokens;
        length = 0;
        ended = false;
        return draw(start);
    }

    /**
     * Takes the rows forked for this continuation ({@code newScorer} null with a sequence reward
     * model); a continuation that already ended frees its base row.
     */
    void attach(Row newBase, Row newScorer) {
        base = newBase;
        scorer = newScorer;
        if (ended || length == blockLength) {
            stopBase();
        }
    }

    /** Draws the next token from the base row and feeds it to both rows. */
    void step() {
        long token = draw(base);
        if (scorer != null) {
            scorer.feed(token);
        }
        if (open()) {
            base.feed(token);
        } else {
            stopBase();
        }
    }

    /** A continuation that ended with end-of-sequence never continues; a full one may win and go on. */
    private void stopBase() {
        if (ended) {
            base.release();
        } else {
            base.feed(tokens[length - 1]);
        }
    }

    private long draw(Row row) {
        float[] logits = context.baseLogits(row);
        double normalizer = context.logprobs() ? LogSoftmax.logSumExp(logits) : Double.NaN;
        int token = sampler.sample(logits, history);
        history.add(token);
        logprobs[length] = TokenLogprobs.of(row.logit(token) - normalizer, context.baseLogprob(row, token));
        tokens[length++] = token;
        ended = !context.sampling().ignoreEos()
                && context.models().eosTokenIds().contains((long) token);
        fresh = true;
        return token;
    }

    /** Reads the scorer's value of the block so far if a token was fed this round; whether it was. */
    boolean readScore() {
        if (!fresh) {
            return false;
        }
        fresh = false;
        value = scorer.score();
        if (ended) {
            scorer.release();
        }
        return true;
    }

    /** The value a sequence reward model gave the block. */
    void value(double rewardValue) {
        value = rewardValue;
    }

    /** {@code prefix} followed by this block's tokens. */
    long[] appendedTo(long[] prefix) {
        long[] whole = Arrays.copyOf(prefix, prefix.length + length);
        System.arraycopy(tokens, 0, whole, prefix.length, length);
        return whole;
    }

    boolean open() {
        return !ended && length < blockLength;
    }

    double value() {
        return value;
    }

    int length() {
        return length;
    }

    long token(int index) {
        return tokens[index];
    }

    TokenLogprobs logprobs(int index) {
        return logprobs[index];
    }

    Row base() {
        return base;
    }

    Row scorer() {
        return scorer;
    }

    void release() {
        base.release();
        if (scorer != null) {
            scorer.release();
        }
    }
}
