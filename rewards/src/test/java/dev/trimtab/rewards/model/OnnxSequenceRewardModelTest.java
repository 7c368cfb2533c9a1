package dev.trimtab.rewards.model;

import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.ExportOptions;
import java.nio.file.Path;

class OnnxSequenceRewardModelTest extends RewardModelContractKit {
    @Override
    RewardModel open(Path directory, long seed) throws Exception {
        return RewardModel.load(writeClassifier(directory, seed), SessionSettings.DEFAULT);
    }

    /** Writes {@link #SPEC} with {@code seed} in Optimum's sequence-classification layout. */
    static Path writeClassifier(Path directory, long seed) {
        TinyModels.write(
                directory, SPEC, seed, ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION));
        return directory;
    }
}
