package dev.trimtab.rewards.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.ExportOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OnnxSequenceRewardModelTest extends RewardModelContractKit {
    @Override
    RewardModel open(Path directory, long seed) throws Exception {
        return RewardModel.load(writeClassifier(directory, seed), SessionSettings.DEFAULT);
    }

    @Test
    @DisplayName("the project's decoder classifier pools at the last real token: padded batches")
    void padsBatches() {
        assertThat(((OnnxSequenceRewardModel) model).padsBatches()).isTrue();
    }

    /** Writes {@link #SPEC} with {@code seed} in Optimum's sequence-classification layout. */
    static Path writeClassifier(Path directory, long seed) {
        TinyModels.write(
                directory, SPEC, seed, ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION));
        return directory;
    }
}
