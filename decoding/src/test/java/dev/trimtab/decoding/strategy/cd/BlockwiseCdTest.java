package dev.trimtab.decoding.strategy.cd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.none.PlainSampling;
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
    @DisplayName("blockwise CD steps K base rows and K scorer rows, reading one value per continuation and token")
    void kRowsPerModel() {
        RecordingListener run = decode(request(82, 8).withStrategy(ControlledDecodingParams.blockwise(3, 4)));
        ModelUsage scorer = run.result.accounting().models().get(AlignmentFixtures.PREFIX_SCORER);
        assertThat(run.result.accounting().rewardScores()).isEqualTo(3 * 8);
        assertThat(scorer.tokens()).isEqualTo(prompt("The film was").length + 3 * 8);
    }
}
