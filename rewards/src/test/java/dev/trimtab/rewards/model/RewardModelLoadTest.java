package dev.trimtab.rewards.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelLoadTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName("loading recognizes both layouts, and the same weights score the same in each")
    void bothLayoutsAgree() throws Exception {
        Path classifier = OnnxSequenceRewardModelTest.writeClassifier(directory.resolve("classifier"), 9);
        Path decoder = RewardModelContractKit.writeDecoder(directory.resolve("decoder"), 9);
        List<long[]> sequences = RewardModelContractKit.randomSequences(7, 5, 1, 30);
        try (RewardModel sequenceClassifier = RewardModel.load(classifier, SessionSettings.DEFAULT);
                RewardModel scoreHead = RewardModel.load(decoder, SessionSettings.DEFAULT)) {
            assertThat(sequenceClassifier).isInstanceOf(OnnxSequenceRewardModel.class);
            assertThat(sequenceClassifier.decoder()).isEmpty();
            assertThat(scoreHead).isInstanceOf(ScoreHeadRewardModel.class);
            assertThat(scoreHead.decoder()).isPresent();
            float[] expected = scoreHead.score(sequences);
            float[] actual = sequenceClassifier.score(sequences);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(1e-4f));
            }
        }
    }

    @Test
    @DisplayName("a language model is refused as a reward model, naming its directory")
    void languageModelRefused() {
        Path language = directory.resolve("language");
        TinyModels.write(language, TinyModels.gpt2(), 3);
        assertThatThrownBy(() -> RewardModel.load(language, SessionSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(language + " is a language model (its logits have 96 entries), not a reward model:"
                        + " a reward model has a score head of width 1");
    }
}
