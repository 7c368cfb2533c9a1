package dev.trimtab.decoding.strategy.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArgsTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return ArgsParams.defaults().withMode(ArgsParams.Mode.STOCHASTIC);
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
                            + " of 'base'; it must name one of its score-head reward models (scorers) [scorer]");
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(ArgsParams.defaults().withRewardModel("nope")),
                            new RecordingListener()))
                    .hasMessage("alignment.reward_model must name one of the score-head reward models of 'base'"
                            + " [scorer], got 'nope'");
        }
    }
}
