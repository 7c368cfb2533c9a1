package dev.trimtab.decoding.strategy.specrej;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.specrej.SpeculativeRejectionParams.Partial;

/** The contract of the tree variant, its children forked with their ARM rows at each decision point. */
class SpeculativeRejectionTreeTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return SpeculativeRejectionParams.of(4)
                .withRejection(0.5, 2)
                .withPartial(Partial.ARM)
                .withArm(AlignmentFixtures.ARM)
                .withTree(true);
    }

    @Override
    protected boolean pathIndependentOfEnding() {
        return false;
    }
}
