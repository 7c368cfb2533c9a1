package dev.trimtab.decoding.strategy.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.cli.PrefillRewardModel;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.AuxiliaryModel;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.StrategyPlan;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArgsTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return ArgsParams.defaults().withMode(ArgsParams.Mode.STOCHASTIC);
    }

    @Test
    @DisplayName("a token's log-probability is the one ARGS chose it with: with w = 0, drawn, its logit's share of"
            + " the k best base logits' softmax, computed apart; taken greedily, 0")
    void chosenWithItsLogprob() throws Exception {
        int k = 12;
        RecordingListener drawn = decode(request(64, 6)
                .withStrategy(ArgsParams.defaults().withWeight(0).withK(k).withMode(ArgsParams.Mode.STOCHASTIC))
                .withLogprobs(true));
        long[] prompt = prompt("The film was");
        for (int step = 0; step < 6; step++) {
            float[] logits =
                    Independent.logits(fixtures.base().decoder(), Independent.prefix(prompt, drawn.tokenIds(), step));
            double max = Double.NEGATIVE_INFINITY;
            for (int id : Independent.topK(logits, k)) max = Math.max(max, logits[id]);
            double sum = 0;
            for (int id : Independent.topK(logits, k)) sum += Math.exp(logits[id] - max);
            double expected = logits[(int) drawn.tokenIds()[step]] - max - Math.log(sum);
            assertThat(drawn.logprobs.get(step)).as("step %d", step).isCloseTo(expected, within(1e-4));
        }
        RecordingListener greedy = decode(request(65, 6)
                .withStrategy(ArgsParams.defaults().withMode(ArgsParams.Mode.GREEDY))
                .withLogprobs(true));
        assertThat(greedy.logprobs).containsOnly(0.0);
    }

    @Test
    @DisplayName("greedy ARGS with w = 0 decodes exactly like greedy decoding")
    void zeroWeightIsGreedy() {
        DecodeRequest greedy = request(61, 16);
        greedy = greedy.withSampling(greedy.sampling().withTemperature(0));
        RecordingListener args =
                decode(greedy.withStrategy(ArgsParams.defaults().withWeight(0)));
        RecordingListener plain = decode(greedy.withStrategy(PlainSampling.INSTANCE));
        assertThat(args.tokenIds()).containsExactly(plain.tokenIds());
    }

    @Test
    @DisplayName(
            "greedy ARGS takes the argmax of logit + w * reward over the base's top k, each prefix scored by the reward model")
    void argmaxOfLogitPlusReward() throws Exception {
        double weight = 40;
        RecordingListener run =
                decode(request(62, 4).withStrategy(ArgsParams.defaults().withWeight(weight)));
        long[] prompt = prompt("The film was");
        boolean rewardChangedAChoice = false;
        for (int step = 0; step < 4; step++) {
            long[] prefix = Independent.prefix(prompt, run.tokenIds(), step);
            float[] logits = Independent.logits(fixtures.base().decoder(), prefix);
            int[] candidates = Independent.topK(logits, ArgsParams.DEFAULT_K);
            double[] scores = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                long[] extended = Independent.prefix(prefix, new long[] {candidates[i]}, 1);
                scores[i] = logits[candidates[i]] + weight * Independent.logits(fixtures.scorer(), extended)[0];
            }
            assertThat(run.tokenIds()[step]).as("step %d", step).isEqualTo(candidates[Independent.argmax(scores)]);
            rewardChangedAChoice |= Independent.argmax(scores) != 0;
        }
        assertThat(rewardChangedAChoice)
                .as("the reward changed at least one choice")
                .isTrue();
    }

    @Test
    @DisplayName(
            "greedy ARGS with a sequence reward model takes the argmax of logit + w * reward, each candidate prefix"
                    + " scored alone by the reward model")
    void sequenceRewardModelArgmax() throws Exception {
        double weight = 40;
        RecordingListener run = decode(request(64, 4)
                .withStrategy(
                        ArgsParams.defaults().withWeight(weight).withRewardModel(AlignmentFixtures.REWARD_MODEL)));
        SequenceRewardModel rewardModel = fixtures.models()
                .rewardModels()
                .get(AlignmentFixtures.REWARD_MODEL)
                .model();
        long[] prompt = prompt("The film was");
        boolean rewardChangedAChoice = false;
        for (int step = 0; step < 4; step++) {
            long[] prefix = Independent.prefix(prompt, run.tokenIds(), step);
            float[] logits = Independent.logits(fixtures.base().decoder(), prefix);
            int[] candidates = Independent.topK(logits, ArgsParams.DEFAULT_K);
            double[] scores = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                long[] extended = Independent.prefix(prefix, new long[] {candidates[i]}, 1);
                scores[i] = logits[candidates[i]] + weight * rewardModel.score(List.of(extended))[0];
            }
            assertThat(run.tokenIds()[step]).as("step %d", step).isEqualTo(candidates[Independent.argmax(scores)]);
            rewardChangedAChoice |= Independent.argmax(scores) != 0;
        }
        assertThat(rewardChangedAChoice)
                .as("the reward changed at least one choice")
                .isTrue();
    }

    @Test
    @DisplayName("one score-head decoder as a scorer (incremental) and as a sequence reward model gives the same text")
    void bothPathsAgree() {
        ArgsParams args = ArgsParams.defaults().withWeight(40);
        RecordingListener incremental =
                decode(request(65, 16).withStrategy(args.withRewardModel(AlignmentFixtures.SCORER)));
        RecordingListener sequence =
                decode(request(65, 16).withStrategy(args.withRewardModel(AlignmentFixtures.REWARD_MODEL)));
        assertThat(sequence.tokenIds()).containsExactly(incremental.tokenIds());
        assertThat(sequence.result.accounting().models()).doesNotContainKey(AlignmentFixtures.SCORER);
        assertThat(sequence.result.accounting().rewardScores())
                .isEqualTo(incremental.result.accounting().rewardScores());
    }

    @Test
    @DisplayName(
            "the reward model defaults to the only scorer, else the only sequence reward model; a scorer takes a lane,"
                    + " a sequence reward model none")
    void defaultAndPlan() {
        AlignmentModels both = fixtures.models();
        assertThat(ArgsParams.defaults().plan(both).lanes())
                .extracting(AuxiliaryModel::name)
                .containsExactly(AlignmentFixtures.SCORER);
        StrategyPlan sequence = ArgsParams.defaults()
                .withRewardModel(AlignmentFixtures.REWARD_MODEL)
                .plan(both);
        assertThat(sequence.lanes()).isEmpty();
        assertThat(sequence.rewardModels())
                .extracting(NamedRewardModel::name)
                .containsExactly(AlignmentFixtures.REWARD_MODEL);
        AlignmentModels rewardOnly = AlignmentModels.of(AlignmentFixtures.BASE, fixtures.base())
                .withRewardModel("only", new PrefillRewardModel(fixtures.scorer()));
        assertThat(ArgsParams.DESCRIPTOR.servableWith(rewardOnly)).isTrue();
        assertThat(ArgsParams.defaults().plan(rewardOnly).rewardModels())
                .extracting(NamedRewardModel::name)
                .containsExactly("only");
        AlignmentModels none = AlignmentModels.of(AlignmentFixtures.BASE, fixtures.base());
        assertThat(ArgsParams.DESCRIPTOR.servableWith(none)).isFalse();
        assertThatThrownBy(() -> ArgsParams.defaults().plan(none))
                .hasMessage("alignment.reward_model is required: 'base' has no score-head reward models or sequence"
                        + " reward models");
    }

    @Test
    @DisplayName("the reward model scores k candidates per token, with one row per candidate")
    void scoresKCandidatesPerToken() {
        RecordingListener run =
                decode(request(63, 5).withStrategy(ArgsParams.defaults().withK(7)));
        ModelUsage scorer = run.result.accounting().models().get(AlignmentFixtures.SCORER);
        assertThat(run.result.accounting().rewardScores()).isEqualTo(7 * 5);
        assertThat(scorer.forwardPasses()).isEqualTo(5 + 1);
        assertThat(scorer.tokens()).isEqualTo(prompt("The film was").length + 7 * 5);
    }

    @Test
    @DisplayName("k below 1, a NaN or infinite w, an unknown reward model or a policy in its place are refused")
    void badParameters() {
        assertThatThrownBy(() -> ArgsParams.defaults().withK(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alignment.k must be in [1, 64], got 0");
        assertThatThrownBy(() -> ArgsParams.defaults().withWeight(Double.NaN))
                .hasMessage("alignment.weight must be a finite number, got NaN");
        assertThatThrownBy(() ->
                        new ArgsParams(0, Double.POSITIVE_INFINITY, ArgsParams.Mode.GREEDY, java.util.Optional.empty()))
                .hasMessage(
                        "alignment.k must be in [1, 64], got 0; alignment.weight must be a finite number, got Infinity");
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(ArgsParams.defaults().withRewardModel(AlignmentFixtures.ARM)),
                            new RecordingListener()))
                    .hasMessage("alignment.reward_model names 'arm', one of the autoregressive reward models (arms)"
                            + " of 'base'; it must name one of its score-head reward models (scorers) or sequence"
                            + " reward models (reward_models) [scorer, rm]");
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(ArgsParams.defaults().withRewardModel("nope")),
                            new RecordingListener()))
                    .hasMessage("alignment.reward_model must name one of the score-head reward models or sequence"
                            + " reward models of 'base' [scorer, rm], got 'nope'");
        }
    }
}
