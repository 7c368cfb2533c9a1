package dev.trimtab.decoding.strategy.specrej;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.specrej.SpeculativeRejectionParams.Partial;

/** The contract with partial values from the arm rows stepped alongside the candidates. */
class SpeculativeRejectionArmTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return SpeculativeRejectionParams.of(4)
                .withRejection(0.5, 2)
                .withPartial(Partial.ARM)
                .withArm(AlignmentFixtures.ARM);
    }

    @Override
    protected boolean pathIndependentOfEnding() {
        return false;
    }
}
