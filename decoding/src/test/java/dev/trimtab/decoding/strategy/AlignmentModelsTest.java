package dev.trimtab.decoding.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.cli.PrefillRewardModel;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlignmentModelsTest {
    @TempDir
    static Path directory;

    static AlignmentFixtures fixtures;

    @BeforeAll
    static void loadModels() throws Exception {
        fixtures = AlignmentFixtures.create(directory.resolve("fixtures"));
    }

    @AfterAll
    static void closeModels() throws Exception {
        fixtures.close();
    }

    @Test
    @DisplayName("a policy whose tokenizer gives a token another id is refused at load time")
    void incompatibleVocabulary() throws Exception {
        ByteLevelBpeTokenizerFile demo = ByteLevelBpeTokenizerFile.demo();
        List<ByteLevelBpeTokenizerFile.Merge> fewer =
                demo.merges().subList(0, demo.merges().size() - 1);
        Path other = directory.resolve("other");
        TinyModels.languageModel(other, 3, DecoderSpec.gpt2(1, 16, 2, demo.vocabSize(), 64));
        new ByteLevelBpeTokenizerFile(fewer, demo.specialTokens())
                .write(other.resolve(ByteLevelBpeTokenizerFile.FILE_NAME));
        try (DecoderModel policy = DecoderModel.load(other, SessionSettings.DEFAULT);
                TextTokenizer tokenizer = TextTokenizer.load(other)) {
            assertThatThrownBy(() ->
                            fixtures.models().withDecoder(ModelKind.ALIGNED, "other", policy, Optional.of(tokenizer)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'other' has a vocabulary incompatible with the base 'base': token ")
                    .hasMessageEndingWith("the vocabularies must be equal or one a prefix of the other");
        }
    }

    @Test
    @DisplayName("a policy whose vocabulary is a prefix of the base's is accepted and shares that prefix")
    void prefixVocabulary() throws Exception {
        AuxiliaryModel small = fixtures.models().decoders().get(AlignmentFixtures.SMALL_ARM);
        assertThat(small.sharedVocab()).isEqualTo(TinyModels.demoVocabSize());
        assertThat(fixtures.models().decoders().get(AlignmentFixtures.ARM).sharedVocab())
                .isEqualTo(fixtures.base().decoder().vocabSize());
        AlignmentModels withTokenizer = AlignmentModels.of("base", fixtures.base())
                .withDecoder(
                        ModelKind.ALIGNED,
                        "aligned",
                        fixtures.aligned().decoder(),
                        Optional.of(fixtures.aligned().tokenizer()));
        assertThat(withTokenizer.names(ModelKind.ALIGNED)).containsExactly("aligned");
    }

    @Test
    @DisplayName("a vocabulary that leaves out the end-of-sequence id is refused")
    void endOfSequenceOutsideSharedIds() {
        AlignmentModels models = fixtures.models().withEndOfSequence(java.util.Set.of(298L));
        assertThatThrownBy(
                        () -> models.withDecoder(ModelKind.ARM, "small-again", fixtures.smallArm(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'small-again' accepts token ids [0, " + TinyModels.demoVocabSize()
                        + "), which leaves out the end-of-sequence id 298 of the base 'base'");
    }

    @Test
    @DisplayName("a score head cannot be a policy, a language-model head cannot be a scorer, and names are unique")
    void kindsAndNames() {
        AlignmentModels models = fixtures.models();
        assertThatThrownBy(() -> models.withDecoder(ModelKind.ARM, "s", fixtures.scorer(), Optional.empty()))
                .hasMessageStartingWith("'s' has a score head");
        assertThatThrownBy(() -> models.withDecoder(ModelKind.PREFIX_SCORER, "a", fixtures.arm(), Optional.empty()))
                .hasMessageStartingWith("'a': prefix scorers must have a score head (logits width 1), got "
                        + fixtures.arm().vocabSize() + " logits");
        assertThatThrownBy(() ->
                        models.withDecoder(ModelKind.ALIGNED, AlignmentFixtures.ARM, fixtures.arm(), Optional.empty()))
                .hasMessageStartingWith("model name 'arm' is already taken");
    }

    @Test
    @DisplayName(
            "a model named where another kind is expected is a typed error naming the field, the model's kind and the choices")
    void wrongKind() {
        AlignmentModels models = fixtures.models();
        assertThatThrownBy(() ->
                        models.decoder("alignment.aligned", Optional.of(AlignmentFixtures.ARM), ModelKind.ALIGNED))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo(InvalidRequestException.Code.WRONG_MODEL_KIND);
                    assertThat(e.field()).contains("alignment.aligned");
                })
                .hasMessage("alignment.aligned names 'arm', one of the autoregressive reward models (arms) of 'base';"
                        + " it must name one of its aligned policies (aligned) [aligned]");
        assertThatThrownBy(() -> models.rewardModel("alignment.reward_model", Optional.of(AlignmentFixtures.SCORER)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code())
                        .isEqualTo(InvalidRequestException.Code.WRONG_MODEL_KIND));
        assertThatThrownBy(() -> models.decoder("alignment.scorer", Optional.of("nope"), ModelKind.PREFIX_SCORER))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code())
                        .isEqualTo(InvalidRequestException.Code.UNKNOWN_MODEL));
    }

    @Test
    @DisplayName("an absent model field takes the only model of its kind, whatever other kinds are served")
    void onlyOfItsKind() {
        AlignmentModels models = fixtures.models();
        assertThat(models.decoder("alignment.aligned", Optional.empty(), ModelKind.ALIGNED)
                        .name())
                .isEqualTo(AlignmentFixtures.ALIGNED);
        assertThat(models.names(ModelKind.ARM)).containsExactly(AlignmentFixtures.ARM, AlignmentFixtures.SMALL_ARM);
        assertThatThrownBy(() -> models.decoder("alignment.weights", Optional.empty(), ModelKind.ARM))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code())
                        .isEqualTo(InvalidRequestException.Code.INVALID_VALUE))
                .hasMessage("alignment.weights is required: 'base' has autoregressive reward models [arm, arm-small]"
                        + " to choose from");
    }

    @Test
    @DisplayName(
            "a field accepting several kinds finds a name under the first kind that serves it, an absent name under the"
                    + " first kind served, and names every accepted kind when the name is wrong")
    void severalAcceptedKinds() {
        AlignmentModels models =
                fixtures.models().withRewardModel(AlignmentFixtures.SCORER, new PrefillRewardModel(fixtures.scorer()));
        List<ModelKind> kinds = List.of(ModelKind.SCORER, ModelKind.REWARD_MODEL);
        assertThat(models.kind("f", Optional.of(AlignmentFixtures.SCORER), kinds))
                .isEqualTo(ModelKind.SCORER);
        assertThat(models.kind("f", Optional.of(AlignmentFixtures.REWARD_MODEL), kinds))
                .isEqualTo(ModelKind.REWARD_MODEL);
        assertThat(models.kind("f", Optional.empty(), kinds)).isEqualTo(ModelKind.SCORER);
        assertThat(models.names(kinds)).containsExactly(AlignmentFixtures.SCORER, AlignmentFixtures.REWARD_MODEL);
        assertThatThrownBy(() -> models.kind("f", Optional.empty(), List.of(ModelKind.REWARD_MODEL, ModelKind.SCORER)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("f is required: 'base' has sequence reward models [rm, scorer] to choose from");
        assertThatThrownBy(() -> models.kind("f", Optional.of(AlignmentFixtures.ARM), kinds))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code())
                        .isEqualTo(InvalidRequestException.Code.WRONG_MODEL_KIND))
                .hasMessageEndingWith("it must name one of its score-head reward models (scorers) or sequence reward"
                        + " models (reward_models) [scorer, rm]");
    }
}
