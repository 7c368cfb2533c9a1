package dev.trimtab.decoding.strategy.cd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BlockwiseCdTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return ControlledDecodingParams.blockwise(3, 4);
    }

    @Override
    protected boolean pathIndependentOfEnding() {
        return false;
    }

    @Test
    @DisplayName("blockwise CD with K = 1 decodes exactly like sampling, across blocks and a last partial one")
    void oneContinuationIsSampling() {
        RecordingListener cd = decode(request(81, 14).withStrategy(ControlledDecodingParams.blockwise(1, 4)));
        RecordingListener plain = decode(request(81, 14).withStrategy(PlainSampling.INSTANCE));
        assertThat(cd.tokenIds()).containsExactly(plain.tokenIds());
        assertThat(cd.result.completion().text())
                .isEqualTo(plain.result.completion().text());
    }

    @Test
    @DisplayName("blockwise CD commits the continuation with the highest value V, each scored apart by a fresh prefill")
    void commitsTheHighestValue() throws Exception {
        assertCommitsTheBestBlock(AlignmentFixtures.PREFIX_SCORER);
    }

    @Test
    @DisplayName("blockwise CD steps K base rows and K scorer rows, reading one value per continuation and token")
    void kRowsPerModel() {
        RecordingListener run = decode(request(82, 8).withStrategy(ControlledDecodingParams.blockwise(3, 4)));
        ModelUsage scorer = run.result.accounting().models().get(AlignmentFixtures.PREFIX_SCORER);
        assertThat(run.result.accounting().rewardScores()).isEqualTo(3 * 8);
        assertThat(scorer.tokens()).isEqualTo(prompt("The film was").length + 3 * 8);
    }

    @Test
    @DisplayName("blockwise CD with a sequence reward model commits the block whose whole sequence scores highest, each"
            + " scored apart by a fresh prefill")
    void sequenceRewardModelCommitsTheHighestReward() throws Exception {
        // the fixtures' reward model is the scorer's weights read at the last token
        assertCommitsTheBestBlock(AlignmentFixtures.REWARD_MODEL);
    }

    /**
     * Over several seeds, blockwise CD scored by {@code scorer} commits the continuation whose score
     * (the fixtures' scorer weights at its last token, computed independently) is highest, and not
     * always the first.
     */
    private void assertCommitsTheBestBlock(String scorer) throws Exception {
        int candidates = 3;
        int block = 4;
        long[] prompt = prompt("The film was");
        Set<Integer> winners = new HashSet<>();
        for (long seed = 90; seed < 96; seed++) {
            DecodeRequest request = request(seed, block);
            long[] committed = decode(request.withStrategy(ControlledDecodingParams.blockwise(candidates, block)
                            .withScorer(scorer)))
                    .tokenIds();
            // Continuation i samples as plain sampling with its own seed: the request's for the first,
            // then draws of a split of it (what K = 1 being plain sampling pins down).
            SplittableRandom seeds = new SplittableRandom(seed).split();
            double[] scores = new double[candidates];
            long[][] blocks = new long[candidates][];
            for (int i = 0; i < candidates; i++) {
                long own = i == 0 ? seed : seeds.nextLong();
                DecodeRequest alone = request.withSampling(request.sampling().withSeed(own));
                blocks[i] = decode(alone.withStrategy(PlainSampling.INSTANCE)).tokenIds();
                scores[i] = Independent.logits(fixtures.scorer(), Independent.prefix(prompt, blocks[i], block))[0];
            }
            int best = Independent.argmax(scores);
            winners.add(best);
            assertThat(committed).as("seed %d", seed).containsExactly(blocks[best]);
        }
        assertThat(winners)
                .as("some block other than the first continuation's won")
                .isNotEqualTo(Set.of(0));
    }

    @Test
    @DisplayName(
            "one score-head decoder as a prefix scorer (stepped rows) and as a sequence reward model (whole sequences"
                    + " per block) gives the same text; the reward model takes no lane and scores K per block")
    void bothLayoutsAgree() {
        ControlledDecodingParams blockwise = ControlledDecodingParams.blockwise(3, 4);
        RecordingListener rows =
                decode(request(83, 14).withStrategy(blockwise.withScorer(AlignmentFixtures.PREFIX_SCORER)));
        RecordingListener sequences =
                decode(request(83, 14).withStrategy(blockwise.withScorer(AlignmentFixtures.REWARD_MODEL)));
        assertThat(sequences.tokenIds()).containsExactly(rows.tokenIds());
        assertThat(sequences.result.accounting().models()).doesNotContainKey(AlignmentFixtures.PREFIX_SCORER);
        assertThat(sequences.result.accounting().rewardScores()).isEqualTo(3 * 4);
    }
}
