package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.TokenLogprobs;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AuxiliaryModel;
import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.ScoreTicket;
import dev.trimtab.decoding.strategy.StrategyPlan;
import dev.trimtab.decoding.tokenizer.StreamingDetokenizer;
import java.util.Arrays;
import java.util.List;

/** The {@link RequestContext} of one admitted request, backed by its state and its scheduler. */
final class SchedulerContext implements RequestContext {
    private final RequestState state;
    private final Scheduler scheduler;
    private final float[] baseBuffer;
    private float[] fullBaseBuffer;

    SchedulerContext(RequestState state, Scheduler scheduler) {
        this.state = state;
        this.scheduler = scheduler;
        this.baseBuffer = new float[baseVocab()];
    }

    @Override
    public long[] promptIds() {
        return state.request().promptIds();
    }

    @Override
    public SamplingParams sampling() {
        return state.request().sampling();
    }

    @Override
    public StrategyPlan plan() {
        return state.plan();
    }

    @Override
    public AlignmentModels models() {
        return scheduler.models();
    }

    @Override
    public int baseVocab() {
        return scheduler.models().base().decoder().vocabSize();
    }

    @Override
    public int sharedVocab() {
        return state.plan().sharedVocab(baseVocab());
    }

    @Override
    public int tokenLimit() {
        return state.tokenLimit();
    }

    @Override
    public long seed() {
        return state.seed();
    }

    @Override
    public boolean logprobs() {
        return state.request().logprobs();
    }

    @Override
    public Row openBase() {
        return scheduler
                .lane(scheduler.models().baseName())
                .open(state, state.request().promptIds());
    }

    @Override
    public Row open(AuxiliaryModel model) {
        if (!state.plan().lanes().contains(model)) {
            throw new IllegalArgumentException("model '" + model.name() + "' is not in the request's plan");
        }
        return scheduler.lane(model.name()).open(state, state.request().promptIds());
    }

    @Override
    public Sequence newSequence(long seed) {
        long[] prompt = state.request().promptIds();
        GenerationRequest request = new GenerationRequest(prompt, sampling().withSeed(seed));
        StreamingDetokenizer detokenizer =
                new StreamingDetokenizer(scheduler.models().base().tokenizer(), prompt);
        return new Sequence(request, detokenizer, scheduler.models().eosTokenIds(), tokenLimit(), baseVocab());
    }

    @Override
    public float[] baseLogits(Row row) {
        row.logits(baseBuffer);
        Arrays.fill(baseBuffer, sharedVocab(), baseBuffer.length, Float.NEGATIVE_INFINITY);
        return baseBuffer;
    }

    @Override
    public ScoreTicket score(NamedRewardModel model, List<long[]> sequences) {
        if (!state.plan().rewardModels().contains(model)) {
            throw new IllegalArgumentException("reward model '" + model.name() + "' is not in the request's plan");
        }
        PendingScores ticket = new PendingScores(model, sequences, state);
        scheduler.queueScores(ticket);
        return ticket;
    }

    @Override
    public void countRewardScores(int count) {
        state.usage().countScores(count);
    }

    @Override
    public void countCandidates(int alive) {
        state.usage().countCandidates(alive);
    }

    @Override
    public boolean baseLogprobs() {
        return state.request().baseLogprobs();
    }

    @Override
    public double baseLogprob(Row row, long token) {
        if (!baseLogprobs()) {
            return Double.NaN;
        }
        if (fullBaseBuffer == null) {
            fullBaseBuffer = new float[baseVocab()];
        }
        float[] logits = row.logits(fullBaseBuffer);
        return logits[(int) token] - LogSoftmax.logSumExp(logits);
    }

    @Override
    public int topLogprobs() {
        return state.request().topLogprobs();
    }

    @Override
    public void emit(long token, String text, TokenLogprobs logprobs) {
        state.listener()
                .onToken(
                        token,
                        text,
                        logprobs()
                                ? new TokenLogprobs(
                                        logprobs.logprob(),
                                        baseLogprobs() ? logprobs.baseLogprob() : Double.NaN,
                                        logprobs.top())
                                : TokenLogprobs.NONE);
    }

    @Override
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

    @Override
    public boolean done() {
        return !state.running();
    }
}
