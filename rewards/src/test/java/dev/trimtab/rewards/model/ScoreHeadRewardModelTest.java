package dev.trimtab.rewards.model;

import dev.trimtab.decoding.engine.SessionSettings;
import java.nio.file.Path;

class ScoreHeadRewardModelTest extends RewardModelContractKit {
    @Override
    RewardModel open(Path directory, long seed) throws Exception {
        return ScoreHeadRewardModel.load(writeDecoder(directory, seed), SessionSettings.DEFAULT);
    }
}
