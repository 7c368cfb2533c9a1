package dev.trimtab.rewards.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.cli.PrefillRewardModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Decoding;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.bestofn.BestOfNParams;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BestOfNWithRewardModelTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName("best-of-N ranks its candidates with a sequence-classification reward model of this module")
    void bestOfNWithSequenceClassifier() throws Exception {
        DecoderSpec scorerSpec = DecoderSpec.llama(2, 32, 4, 2, 48, TinyModels.demoVocabSize() + 3, 64)
                .withScoreHead();
        TinyModels.write(
                directory.resolve("classifier"),
                scorerSpec,
                35,
                ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION));
        try (AlignmentFixtures fixtures = AlignmentFixtures.create(directory.resolve("fixtures"));
                RewardModel classifier = RewardModel.load(directory.resolve("classifier"), SessionSettings.DEFAULT)) {
            AlignmentModels models = fixtures.models().withRewardModel("classifier", classifier);
            long[] prompt = fixtures.tokenizer().encode("The film was");
            DecodeRequest request = new DecodeRequest(
                    prompt,
                    SamplingParams.defaults().withSeed(3).withMaxTokens(8),
                    BestOfNParams.of(4).withRewardModel("classifier").withReturnAll(true),
                    false);
            DecodeResult result = Decoding.alone(models, request).result;
            double best = result.candidates().stream()
                    .mapToDouble(Candidate::reward)
                    .max()
                    .orElseThrow();
            assertThat(result.candidates().get(result.chosen()).reward()).isEqualTo(best);
            PrefillRewardModel sameWeights = new PrefillRewardModel(fixtures.scorer());
            for (Candidate candidate : result.candidates()) {
                long[] ids = candidate.completion().tokenIds();
                float expected = sameWeights.score(List.of(Independent.prefix(prompt, ids, ids.length)))[0];
                assertThat(candidate.reward()).isCloseTo(expected, within(1e-4));
            }
        }
    }
}
