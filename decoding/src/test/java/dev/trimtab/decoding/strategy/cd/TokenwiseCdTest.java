package dev.trimtab.decoding.strategy.cd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenwiseCdTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return ControlledDecodingParams.defaults();
    }

    private DecodeRequest greedy(long seed, int maxTokens) {
        DecodeRequest request = request(seed, maxTokens);
        return request.withSampling(request.sampling().withTemperature(0));
    }

    @Test
    @DisplayName("tokenwise CD with lambda 0 at temperature 0 decodes exactly like greedy decoding")
    void zeroLambdaIsGreedy() {
        RecordingListener cd = decode(
                greedy(71, 16).withStrategy(ControlledDecodingParams.defaults().withLambda(0)));
        RecordingListener plain = decode(greedy(71, 16).withStrategy(PlainSampling.INSTANCE));
        assertThat(cd.tokenIds()).containsExactly(plain.tokenIds());
    }

    @Test
    @DisplayName("tokenwise CD at temperature 0 takes the argmax of log pi_base + lambda * V over the top k")
    void argmaxOfLogProbabilityPlusValue() throws Exception {
        double lambda = 40;
        RecordingListener run = decode(
                greedy(72, 4).withStrategy(ControlledDecodingParams.defaults().withLambda(lambda)));
        long[] prompt = prompt("The film was");
        for (int step = 0; step < 4; step++) {
            long[] prefix = Independent.prefix(prompt, run.tokenIds(), step);
            float[] logProbabilities = Independent.logits(fixtures.base().decoder(), prefix);
            LogSoftmax.apply(logProbabilities, logProbabilities);
            int[] candidates = Independent.topK(logProbabilities, ControlledDecodingParams.DEFAULT_K);
            double[] scores = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                long[] extended = Independent.prefix(prefix, new long[] {candidates[i]}, 1);
                scores[i] =
                        logProbabilities[candidates[i]] + lambda * Independent.logits(fixtures.scorer(), extended)[0];
            }
            assertThat(run.tokenIds()[step]).as("step %d", step).isEqualTo(candidates[Independent.argmax(scores)]);
        }
    }

    @Test
    @DisplayName(
            "tokenwise CD with a sequence reward model at temperature 0 takes the argmax of log pi_base + lambda * V,"
                    + " each candidate prefix scored alone by the reward model")
    void sequenceRewardModelArgmax() throws Exception {
        double lambda = 40;
        RecordingListener run = decode(greedy(73, 4)
                .withStrategy(ControlledDecodingParams.defaults()
                        .withLambda(lambda)
                        .withScorer(AlignmentFixtures.REWARD_MODEL)));
        SequenceRewardModel rewardModel = fixtures.models()
                .rewardModels()
                .get(AlignmentFixtures.REWARD_MODEL)
                .model();
        long[] prompt = prompt("The film was");
        for (int step = 0; step < 4; step++) {
            long[] prefix = Independent.prefix(prompt, run.tokenIds(), step);
            float[] logProbabilities = Independent.logits(fixtures.base().decoder(), prefix);
            LogSoftmax.apply(logProbabilities, logProbabilities);
            int[] candidates = Independent.topK(logProbabilities, ControlledDecodingParams.DEFAULT_K);
            double[] scores = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                long[] extended = Independent.prefix(prefix, new long[] {candidates[i]}, 1);
                scores[i] =
                        logProbabilities[candidates[i]] + lambda * rewardModel.score(List.of(extended))[0];
            }
            assertThat(run.tokenIds()[step]).as("step %d", step).isEqualTo(candidates[Independent.argmax(scores)]);
        }
    }

    @Test
    @DisplayName(
            "one score-head decoder as a prefix scorer (incremental) and as a sequence reward model gives the same text")
    void bothPathsAgree() {
        ControlledDecodingParams cd = ControlledDecodingParams.defaults().withLambda(40);
        RecordingListener incremental =
                decode(greedy(74, 16).withStrategy(cd.withScorer(AlignmentFixtures.PREFIX_SCORER)));
        RecordingListener sequence = decode(greedy(74, 16).withStrategy(cd.withScorer(AlignmentFixtures.REWARD_MODEL)));
        assertThat(sequence.tokenIds()).containsExactly(incremental.tokenIds());
    }

    @Test
    @DisplayName("k, continuations or block length out of range, or a NaN or infinite lambda, are refused together")
    void badParameters() {
        assertThatThrownBy(() -> new ControlledDecodingParams(
                        ControlledDecodingParams.Mode.TOKENWISE, java.util.Optional.empty(), Double.NaN, 0, 65, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alignment.lambda must be a finite number, got NaN; alignment.k must be in [1, 64], got 0;"
                        + " alignment.candidates must be in [1, 64], got 65; alignment.block_length must be in [1, 256],"
                        + " got 0");
    }
}
