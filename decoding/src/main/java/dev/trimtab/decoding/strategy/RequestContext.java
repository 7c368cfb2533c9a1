package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.TokenLogprobs;
import java.util.List;

/**
 * What a {@link StepDecoder} may use of the scheduler for its request: open rows, make sequences,
 * queue sequences for scoring, emit tokens, finish. Only the scheduler thread uses it.
 */
public interface RequestContext {

    /** The request's prompt token ids (a copy). */
    long[] promptIds();

    SamplingParams sampling();

    /** What {@link AlignmentStrategy#plan} resolved for this request. */
    StrategyPlan plan();

    AlignmentModels models();

    /** Width of the base model's logits. */
    int baseVocab();

    /** Base ids every model of the plan shares; ids at or above are never chosen. */
    int sharedVocab();

    /** Most tokens the request may generate: max tokens, or less where a model's context ends. */
    int tokenLimit();

    /** The request's seed: the one it gave, or one the scheduler drew for it. */
    long seed();

    /** Whether token events must carry log-probabilities. */
    boolean logprobs();

    /** A row of the base model, prefilled with the prompt at the next base pass. */
    Row openBase();

    /** A row of {@code model} (one of the plan's lanes), prefilled with the prompt at its next pass. */
    Row open(AuxiliaryModel model);

    /** A sequence of the prompt with the request's sampling parameters and seed. */
    default Sequence newSequence() {
        return newSequence(seed());
    }

    /** A sequence of the prompt with the request's sampling parameters and {@code seed}. */
    Sequence newSequence(long seed);

    /**
     * {@code row}'s logits in a buffer this context reuses at every call, ids at or above {@link
     * #sharedVocab()} masked to -Infinity.
     */
    float[] baseLogits(Row row);

    /** Queues {@code sequences} for {@code model}; they are scored in this round's scoring phase. */
    ScoreTicket score(NamedRewardModel model, List<long[]> sequences);

    /** Counts rewards a strategy read from its scorer rows, for the accounting. */
    void countRewardScores(int count);

    /**
     * Records how many candidates generated a token this round, for the accounting of strategies
     * that stop candidates early; at most once a round.
     */
    void countCandidates(int alive);

    /**
     * How many of the most likely alternatives each token event carries (0: none); more than 0 only
     * for strategies whose {@link AlignmentStrategy#topLogprobs()} is true.
     */
    default int topLogprobs() {
        return 0;
    }

    /** Whether token events must carry the base model's log-probability of the token. */
    boolean baseLogprobs();

    /**
     * The log-probability of {@code token} under base row {@code row}'s full distribution after its
     * lane's last pass (no id masked), or NaN when the request did not ask for {@link #baseLogprobs()}.
     */
    double baseLogprob(Row row, long token);

    /**
     * Passes one token of the result to the listener with its log-probabilities: the strategy's, the
     * base model's and the {@link #topLogprobs()} most likely tokens of the distribution it was drawn
     * from (what the request did not ask for is dropped here).
     */
    void emit(long token, String text, TokenLogprobs logprobs);

    /** Finishes the request with {@code completion}, no scored candidates. */
    default void finish(Completion completion) {
        finish(completion, List.of(), -1);
    }

    /** Finishes the request: every row is released and the listener gets the result. */
    void finish(Completion completion, List<Candidate> candidates, int chosen);

    /** Whether the request has finished, been cancelled or failed. */
    boolean done();
}
