package dev.trimtab.decoding.strategy.bestofn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.cli.PrefillRewardModel;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BestOfNTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return BestOfNParams.of(3);
    }

    @Override
    protected boolean pathIndependentOfEnding() {
        return false;
    }

    @Test
    @DisplayName(
            "best-of-N with N = 1 decodes exactly like plain sampling with the same seed, the reward model not run")
    void oneIsPlainSampling() {
        assertRunsOnlyTheBase(BestOfNParams.of(1), 51);
    }

    @Test
    @DisplayName(
            "best-of-N returns the candidate with the highest of the returned scores, which are the reward model's")
    void picksTheArgmax() throws Exception {
        RecordingListener run =
                decode(request(52, 8).withStrategy(BestOfNParams.of(5).withReturnAll(true)));
        DecodeResult result = run.result;
        assertThat(result.candidates()).hasSize(5);
        double best = result.candidates().stream()
                .mapToDouble(Candidate::reward)
                .max()
                .orElseThrow();
        assertThat(result.candidates().get(result.chosen()).reward()).isEqualTo(best);
        assertThat(result.completion().tokenIds())
                .containsExactly(
                        result.candidates().get(result.chosen()).completion().tokenIds());
        assertThat(run.tokenIds()).containsExactly(result.completion().tokenIds());
        long[] prompt = prompt("The film was");
        PrefillRewardModel rewardModel = new PrefillRewardModel(fixtures.scorer());
        for (Candidate candidate : result.candidates()) {
            long[] ids = candidate.completion().tokenIds();
            float expected = rewardModel.score(List.of(Independent.prefix(prompt, ids, ids.length)))[0];
            assertThat(candidate.reward()).isCloseTo(expected, within(1e-4));
        }
        assertThat(result.candidates().stream().map(c -> c.completion().text()).distinct())
                .hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName("the N candidates share one prefill of the prompt and are scored in one batch")
    void onePrefillOneScoringBatch() {
        int n = 4;
        int maxTokens = 6;
        RecordingListener run = decode(request(53, maxTokens).withStrategy(BestOfNParams.of(n)));
        ModelUsage base = run.result.accounting().models().get(AlignmentFixtures.BASE);
        int prompt = prompt("The film was").length;
        assertThat(base.forwardPasses()).isEqualTo(maxTokens);
        assertThat(base.tokens()).isEqualTo(prompt + (long) n * (maxTokens - 1));
        ModelUsage reward = run.result.accounting().models().get(AlignmentFixtures.REWARD_MODEL);
        assertThat(reward.forwardPasses()).isEqualTo(1);
        assertThat(reward.tokens()).isEqualTo((long) n * (prompt + maxTokens));
        assertThat(run.result.accounting().rewardScores()).isEqualTo(n);
    }

    @Test
    @DisplayName("soft best-of-N draws its pick from the seed, among the candidates")
    void softPickIsSeeded() {
        BestOfNParams soft = BestOfNParams.of(4).withTau(0.01).withReturnAll(true);
        DecodeResult first = decode(request(54, 6).withStrategy(soft)).result;
        DecodeResult again = decode(request(54, 6).withStrategy(soft)).result;
        assertThat(again.chosen()).isEqualTo(first.chosen());
        assertThat(first.completion().tokenIds())
                .containsExactly(
                        first.candidates().get(first.chosen()).completion().tokenIds());
    }

    @Test
    @DisplayName(
            "N outside [1, 64], a temperature that is not a positive number, or an unknown reward model are refused")
    void badParameters() {
        assertThatThrownBy(() -> BestOfNParams.of(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alignment.n must be in [1, 64], got 0");
        assertThatThrownBy(() -> BestOfNParams.of(65)).hasMessage("alignment.n must be in [1, 64], got 65");
        assertThatThrownBy(() -> BestOfNParams.of(2).withTau(Double.NaN))
                .hasMessage("alignment.tau must be a finite number > 0, got NaN");
        assertThatThrownBy(() -> BestOfNParams.of(2).withTau(0))
                .hasMessage("alignment.tau must be a finite number > 0, got 0.0");
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(BestOfNParams.of(2).withRewardModel("nope")),
                            new RecordingListener()))
                    .hasMessage("alignment.reward_model must name one of the sequence reward models of 'base' [rm],"
                            + " got 'nope'");
        }
    }
}
