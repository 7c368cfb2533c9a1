package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.tokenizer.StreamingDetokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link StepDecoder} may use of the scheduler for its request: open rows, make sequences,
 * queue sequences for scoring, emit tokens, finish. Only the scheduler thread uses it.
 */
public final class RequestContext {
    private final RequestState state;
    private final Scheduler scheduler;
    private final float[] baseBuffer;

    RequestContext(RequestState state, Scheduler scheduler) {
        this.state = state;
        this.scheduler = scheduler;
        this.baseBuffer = new float[baseVocab()];
    }

    public DecodeRequest request() {
        return state.request();
    }

    public SamplingParams sampling() {
        return state.request().sampling();
    }

    public StrategyPlan plan() {
        return state.plan();
    }

    public AlignmentModels models() {
        return scheduler.models();
    }

    /** Width of the base model's logits. */
    public int baseVocab() {
        return scheduler.models().base().decoder().vocabSize();
    }

    /** Base ids every model of the plan shares; ids at or above are never chosen. */
    public int sharedVocab() {
        return state.plan().sharedVocab(baseVocab());
    }

    /** Most tokens the request may generate: max tokens, or less where a model's context ends. */
    public int tokenLimit() {
        return state.tokenLimit();
    }

    /** The request's seed: the one it gave, or one the scheduler drew for it. */
    public long seed() {
        return state.seed();
    }

    /** Whether token events must carry log-probabilities. */
    public boolean logprobs() {
        return state.request().logprobs();
    }

    /** A row of the base model, prefilled with the prompt at the next base pass. */
    public Row openBase() {
        return scheduler
                .lane(scheduler.models().baseName())
                .open(state, state.request().promptIds());
    }

    /** A row of {@code model} (one of the plan's lanes), prefilled with the prompt at its next pass. */
    public Row open(AuxiliaryModel model) {
        if (!state.plan().lanes().contains(model)) {
            throw new IllegalArgumentException("model '" + model.name() + "' is not in the request's plan");
        }
        return scheduler.lane(model.name()).open(state, state.request().promptIds());
    }

    /** A sequence of the prompt with the request's sampling parameters and seed. */
    public Sequence newSequence() {
        return newSequence(seed());
    }

    /** A sequence of the prompt with the request's sampling parameters and {@code seed}. */
    public Sequence newSequence(long seed) {
        long[] prompt = state.request().promptIds();
        GenerationRequest request = new GenerationRequest(prompt, sampling().withSeed(seed));
        StreamingDetokenizer detokenizer =
                new StreamingDetokenizer(scheduler.models().base().tokenizer(), prompt);
        return new Sequence(request, detokenizer, scheduler.models().eosTokenIds(), tokenLimit(), baseVocab());
    }

    /**
     * {@code row}'s logits in a buffer this context reuses at every call, ids at or above {@link
     * #sharedVocab()} masked to -Infinity.
     */
    public float[] baseLogits(Row row) {
        row.logits(baseBuffer);
        Arrays.fill(baseBuffer, sharedVocab(), baseBuffer.length, Float.NEGATIVE_INFINITY);
        return baseBuffer;
    }

    /** Queues {@code sequences} for {@code model}; they are scored in this round's scoring phase. */
    public ScoreTicket score(NamedRewardModel model, List<long[]> sequences) {
        if (!state.plan().rewardModels().contains(model)) {
            throw new IllegalArgumentException("reward model '" + model.name() + "' is not in the request's plan");
        }
        ScoreTicket ticket = new ScoreTicket(model, sequences, state);
        scheduler.queueScores(ticket);
        return ticket;
    }

    /** Counts rewards a strategy read from its scorer rows, for the accounting. */
    public void countRewardScores(int count) {
        state.usage().countScores(count);
    }

    /** Passes one token of the result to the listener. */
    public void emit(long token, String text, double logprob) {
        state.listener().onToken(token, text, logprobs() ? logprob : Double.NaN);
    }

    /** Finishes the request with {@code completion}, no scored candidates. */
    public void finish(Completion completion) {
        finish(completion, List.of(), -1);
    }

    /** Finishes the request: every row is released and the listener gets the result. */
    public void finish(Completion completion, List<Candidate> candidates, int chosen) {
        DecodeResult result = new DecodeResult(
                completion,
                state.request().strategy().name(),
                candidates,
                chosen,
                state.usage().snapshot());
        if (state.end(RequestState.Outcome.FINISHED)) {
            state.listener().onFinish(result);
        }
    }

    /** Whether the request has finished, been cancelled or failed. */
    public boolean done() {
        return !state.running();
    }
}
