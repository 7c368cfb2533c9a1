package dev.trimtab.decoding.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Decoding;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.generate.FinishReason;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.Accounting;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.schedule.RequestHandle;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every alignment strategy keeps, run on the tiny fixture models: seeded determinism,
 * max tokens, stop sequences, end of sequence, cancellation that frees every tensor, continuous
 * batching that changes nothing, accounting. Each strategy's test extends it with its strategy.
 */
public abstract class StrategyContractKit {
    @TempDir
    static Path directory;

    protected static AlignmentFixtures fixtures;

    @BeforeAll
    static void loadModels() throws Exception {
        fixtures = AlignmentFixtures.create(directory);
    }

    @AfterAll
    static void closeModels() throws Exception {
        fixtures.close();
    }

    /** The strategy under test, with the parameters the kit runs it with. */
    protected abstract AlignmentStrategy strategy();

    /**
     * Whether a completion's tokens depend only on the seed, not on where it ends: false for
     * strategies that compare whole candidates, whose choice an earlier end may change.
     */
    protected boolean pathIndependentOfEnding() {
        return true;
    }

    /** Whether another seed gives another completion (false for greedy strategies). */
    protected boolean seedMatters() {
        return true;
    }

    protected static long[] prompt(String text) {
        return fixtures.tokenizer().encode(text);
    }

    protected DecodeRequest request(long seed, int maxTokens) {
        SamplingParams sampling = SamplingParams.defaults()
                .withSeed(seed)
                .withMaxTokens(maxTokens)
                .withIgnoreEos(true);
        return new DecodeRequest(prompt("The film was"), sampling, strategy(), false);
    }

    protected static RecordingListener decode(DecodeRequest request) {
        return Decoding.alone(fixtures.models(), request);
    }

    @Test
    @DisplayName("the same seed gives the same completion, and another seed another one")
    void seededDeterminism() {
        RecordingListener first = decode(request(5, 12));
        RecordingListener again = decode(request(5, 12));
        assertThat(again.tokenIds()).containsExactly(first.tokenIds());
        assertThat(again.result.completion().text())
                .isEqualTo(first.result.completion().text());
        if (seedMatters()) {
            assertThat(decode(request(6, 12)).tokenIds()).isNotEqualTo(first.tokenIds());
        }
    }

    @Test
    @DisplayName("max tokens ends the completion with finish reason length, and the streamed text is the completion")
    void maxTokens() {
        RecordingListener run = decode(request(3, 7));
        assertThat(run.result.completion().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(run.result.completion().tokenIds()).hasSize(7).containsExactly(run.tokenIds());
        assertThat(run.text).hasToString(run.result.completion().text());
        assertThat(run.result.completion().text())
                .isEqualTo(fixtures.tokenizer().decode(run.result.completion().tokenIds()));
        assertThat(run.result.strategy()).isEqualTo(strategy().name());
    }

    @Test
    @DisplayName("a stop sequence ends the text before it, streamed and returned alike")
    void stopSequence() {
        String free = decode(request(4, 24)).result.completion().text();
        String stop = free.substring(6, 9);
        DecodeRequest stopped = request(4, 24);
        RecordingListener run = decode(stopped.withSampling(stopped.sampling().withStop(List.of(stop))));
        assertThat(run.result.completion().text()).doesNotContain(stop);
        assertThat(run.text).hasToString(run.result.completion().text());
        if (pathIndependentOfEnding()) {
            assertThat(run.result.completion().finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(run.result.completion().text()).isEqualTo(free.substring(0, free.indexOf(stop)));
        }
    }

    @Test
    @DisplayName("an end-of-sequence token ends the completion, not part of its text or ids but one more event"
            + " and one more completion token")
    void endOfSequence() {
        long[] free = decode(request(8, 12)).tokenIds();
        int end = firstFreshIndex(free);
        long eos = free[end];
        AlignmentModels models = fixtures.models().withEndOfSequence(Set.of(eos));
        DecodeRequest request = request(8, 12);
        RecordingListener run =
                Decoding.alone(models, request.withSampling(request.sampling().withIgnoreEos(false)));
        assertThat(run.result.completion().tokenIds()).doesNotContain(eos);
        assertThat(run.tokens).hasSize(run.result.completion().completionTokens());
        if (pathIndependentOfEnding()) {
            assertThat(run.result.completion().finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(run.result.completion().tokenIds()).containsExactly(Arrays.copyOf(free, end));
            assertThat(run.tokens).last().isEqualTo(eos);
            assertThat(run.result.completion().completionTokens()).isEqualTo(end + 1);
        }
    }

    @Test
    @DisplayName("asked for base log-probabilities, each token event carries the base model's log-softmax of the"
            + " token at its prefix, computed apart")
    void baseLogprobs() throws Exception {
        RecordingListener run = decode(request(15, 6).withLogprobs(true).withBaseLogprobs(true));
        long[] prompt = prompt("The film was");
        long[] generated = run.tokenIds();
        assertThat(run.baseLogprobs).hasSize(run.result.completion().completionTokens());
        for (int step = 0; step < generated.length; step++) {
            float[] logits = Independent.logits(fixtures.base().decoder(), Independent.prefix(prompt, generated, step));
            double max = Double.NEGATIVE_INFINITY;
            for (float logit : logits) max = Math.max(max, logit);
            double sum = 0;
            for (float logit : logits) sum += Math.exp(logit - max);
            double expected = logits[(int) generated[step]] - max - Math.log(sum);
            assertThat(run.baseLogprobs.get(step)).as("step %d", step).isCloseTo(expected, within(1e-4));
            assertThat(run.logprobs.get(step)).as("step %d", step).isFinite();
        }
        assertThat(decode(request(15, 6).withLogprobs(true)).baseLogprobs).allMatch(value -> value.isNaN());
    }

    @Test
    @DisplayName("cancelling mid-way stops the output and frees every KV-cache tensor at the next round")
    void cancellationFreesTensors() {
        assertThat(fixtures.liveCacheTensors()).isZero();
        RecordingListener listener = new RecordingListener();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            RequestHandle handle = scheduler.submit(request(9, 40), listener);
            for (int round = 0; round < 3; round++) {
                scheduler.runRound();
            }
            assertThat(fixtures.liveCacheTensors()).isPositive();
            int streamed = listener.tokens.size();
            handle.cancel();
            scheduler.runRound();
            assertThat(listener.cancelled).isNotNull();
            assertThat(listener.result).isNull();
            assertThat(listener.tokens).hasSize(streamed);
            assertThat(fixtures.liveCacheTensors()).isZero();
            assertThat(scheduler.hasWork()).isFalse();
        }
    }

    @Test
    @DisplayName("requests submitted at different rounds decode exactly as they would alone")
    void continuousBatching() {
        DecodeRequest first = request(11, 10);
        DecodeRequest second = new DecodeRequest(
                prompt("A much longer prompt, to pad the batch"),
                first.sampling().withSeed(12).withMaxTokens(6),
                strategy(),
                false);
        DecodeRequest third = request(13, 8);
        RecordingListener[] together = {new RecordingListener(), new RecordingListener(), new RecordingListener()};
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            scheduler.submit(first, together[0]);
            scheduler.runRound();
            scheduler.runRound();
            scheduler.submit(second, together[1]);
            scheduler.runRound();
            scheduler.submit(third, together[2]);
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        assertThat(together[0].tokenIds()).containsExactly(decode(first).tokenIds());
        assertThat(together[1].tokenIds()).containsExactly(decode(second).tokenIds());
        assertThat(together[2].tokenIds()).containsExactly(decode(third).tokenIds());
        assertThat(fixtures.liveCacheTensors()).isZero();
    }

    @Test
    @DisplayName("the result accounts forward passes and tokens of every model the strategy used")
    void accounting() {
        RecordingListener run = decode(request(14, 6));
        Accounting accounting = run.result.accounting();
        StrategyPlan plan = strategy().plan(fixtures.models());
        assertThat(accounting.models()).containsKey(AlignmentFixtures.BASE);
        assertThat(accounting.models().get(AlignmentFixtures.BASE).tokens())
                .isGreaterThanOrEqualTo(prompt("The film was").length);
        for (AuxiliaryModel lane : plan.lanes()) {
            assertThat(accounting.models().get(lane.name()).forwardPasses()).isPositive();
        }
        for (NamedRewardModel model : plan.rewardModels()) {
            assertThat(accounting.models().get(model.name()).forwardPasses()).isPositive();
        }
        boolean rewarded = !plan.rewardModels().isEmpty()
                || plan.lanes().stream().anyMatch(lane -> lane.role() == ModelRole.REWARD);
        assertThat(accounting.rewardTokens() > 0).isEqualTo(rewarded);
        assertThat(accounting.rewardScores() > 0).isEqualTo(rewarded);
    }

    /**
     * Asserts that {@code switchedOff}, a strength that switches every other model off, decodes the
     * text and tokens of plain sampling with the same seed at the same cost: no model but the base
     * in the accounting, and the base's forward passes and tokens those of plain sampling.
     */
    protected static void assertRunsOnlyTheBase(AlignmentStrategy switchedOff, long seed) {
        SamplingParams sampling =
                SamplingParams.defaults().withSeed(seed).withMaxTokens(16).withIgnoreEos(true);
        long[] prompt = prompt("The film was");
        RecordingListener run = decode(new DecodeRequest(prompt, sampling, switchedOff, true, 0, true));
        RecordingListener plain = decode(new DecodeRequest(prompt, sampling, PlainSampling.INSTANCE, true, 0, true));
        assertThat(run.tokenIds()).containsExactly(plain.tokenIds());
        assertThat(run.result.completion().text())
                .isEqualTo(plain.result.completion().text());
        assertThat(run.logprobs).containsExactlyElementsOf(plain.logprobs);
        assertThat(run.baseLogprobs).containsExactlyElementsOf(run.logprobs);
        Accounting cost = run.result.accounting();
        ModelUsage base = plain.result.accounting().models().get(AlignmentFixtures.BASE);
        assertThat(cost.models()).containsOnlyKeys(AlignmentFixtures.BASE);
        assertThat(cost.models().get(AlignmentFixtures.BASE).forwardPasses()).isEqualTo(base.forwardPasses());
        assertThat(cost.models().get(AlignmentFixtures.BASE).tokens()).isEqualTo(base.tokens());
        assertThat(cost.rewardTokens()).isZero();
        assertThat(switchedOff.switchedOff())
                .as("the strategy says it is switched off")
                .isTrue();
    }

    /** The first index, after the first, whose token did not occur before it. */
    private static int firstFreshIndex(long[] tokens) {
        for (int i = 1; i < tokens.length; i++) {
            final int index = i;
            if (Arrays.stream(tokens, 0, i).noneMatch(t -> t == tokens[index])) return i;
        }
        throw new IllegalStateException("the strategy repeated one token only");
    }
}
