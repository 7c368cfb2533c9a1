package dev.trimtab.rewards.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyEncoderClassifier;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classifiers of several labels, encoders with token types and a tokenizer of their own, and broken ones. */
class SequenceClassifierTest {
    private static final TinyEncoderClassifier THREE_LABELS = new TinyEncoderClassifier(
            List.of("negative", "neutral", "positive"),
            Optional.of("single_label_classification"),
            TinyEncoderClassifier.Pooling.MASKED_MEAN,
            Optional.empty());

    @TempDir
    Path root;

    /** The graph's logits for {@code rows} (same length), run directly with token types of zero. */
    private static float[][] direct(Path directory, long[][] rows) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] mask = new long[rows.length][rows[0].length];
        for (long[] row : mask) java.util.Arrays.fill(row, 1);
        try (OrtSession session =
                        env.createSession(directory.resolve("model.onnx").toString());
                OnnxTensor ids = OnnxTensor.createTensor(env, rows);
                OnnxTensor attention = OnnxTensor.createTensor(env, mask);
                OnnxTensor types = OnnxTensor.createTensor(env, new long[rows.length][rows[0].length]);
                OrtSession.Result result =
                        session.run(Map.of("input_ids", ids, "attention_mask", attention, "token_type_ids", types))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    @Test
    @DisplayName("a classifier of three labels: the reward is the configured label's logit, by index or by name")
    void rewardLabel() throws Exception {
        Path directory = THREE_LABELS.write(root.resolve("three"), 3);
        long[][] rows = {{2, 10, 11, 3}, {2, 20, 21, 3}};
        float[][] expected = direct(directory, rows);
        for (Optional<String> label : List.of(Optional.of("positive"), Optional.of("2"))) {
            try (RewardModel model = RewardModel.load(directory, SessionSettings.DEFAULT, label)) {
                assertThat(model.labels().names()).containsExactly("negative", "neutral", "positive");
                assertThat(model.labels().problemType()).hasValue("single_label_classification");
                float[] scores = model.score(List.of(rows));
                float[][] logits = model.logits(List.of(rows));
                for (int i = 0; i < rows.length; i++) {
                    assertThat(scores[i]).isCloseTo(expected[i][2], within(1e-6f));
                    assertThat(logits[i]).containsExactly(expected[i], within(1e-6f));
                }
            }
        }
        try (RewardModel model = RewardModel.load(directory, SessionSettings.DEFAULT)) {
            assertThat(model.labels().reward()).isZero();
            assertThat(model.score(List.of(rows))[1]).isCloseTo(expected[1][0], within(1e-6f));
        }
    }

    @Test
    @DisplayName(
            "a graph that pools at the last position whatever the mask is found at load and batched by equal lengths:"
                    + " every sequence scores as it does alone")
    void poolingThatIgnoresTheMask() throws Exception {
        Path last = new TinyEncoderClassifier(
                        List.of("LABEL_0"),
                        Optional.empty(),
                        TinyEncoderClassifier.Pooling.LAST_POSITION,
                        Optional.empty())
                .write(root.resolve("last"), 9);
        Path mean = TinyEncoderClassifier.reward().write(root.resolve("mean"), 9);
        List<long[]> sequences =
                List.of(new long[] {2, 10, 3}, new long[] {2, 10, 11, 12, 3}, new long[] {2, 20, 3}, new long[] {
                    2, 5, 6, 7, 8, 3
                });
        try (RewardModel lastPosition = RewardModel.load(last, SessionSettings.DEFAULT);
                RewardModel masked = RewardModel.load(mean, SessionSettings.DEFAULT)) {
            assertThat(((OnnxSequenceRewardModel) lastPosition).padsBatches()).isFalse();
            assertThat(((OnnxSequenceRewardModel) masked).padsBatches()).isTrue();
            float[] scores = lastPosition.score(sequences);
            for (int i = 0; i < sequences.size(); i++) {
                long[] alone = sequences.get(i);
                assertThat(scores[i]).isCloseTo(direct(last, new long[][] {alone})[0][0], within(1e-6f));
            }
        }
    }

    @Test
    @DisplayName("the activation follows problem_type: softmax for single-label, none for regression")
    void activation() {
        RewardLabels single = new RewardLabels(List.of("a", "b"), 0, Optional.of("single_label_classification"));
        assertThat(single.activate(new float[] {0, (float) Math.log(3)}))
                .containsExactly(new double[] {0.25, 0.75}, within(1e-7));
        RewardLabels regression = new RewardLabels(List.of("a"), 0, Optional.of("regression"));
        assertThat(regression.activate(new float[] {2.5f})).containsExactly(2.5);
        assertThat(RewardLabels.SINGLE.activate(new float[] {0})).containsExactly(0.5);
    }

    @Test
    @DisplayName("a label index out of range or an unknown label name is refused at load, naming config.json")
    void labelOutOfRange() {
        Path directory = THREE_LABELS.write(root.resolve("three"), 3);
        assertThatThrownBy(() -> RewardModel.load(directory, SessionSettings.DEFAULT, Optional.of("3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reward label 3 is out of range: " + directory.resolve("config.json")
                        + " declares 3 labels [negative, neutral, positive], so the label must be in [0, 3)");
        assertThatThrownBy(() -> RewardModel.load(directory, SessionSettings.DEFAULT, Optional.of("good")))
                .hasMessageContaining("reward label \"good\" is not a label of " + directory.resolve("config.json"));
    }

    @Test
    @DisplayName("an output that is not [batch, num_labels] is refused at load, naming the graph and the rule")
    void outputShape() {
        Path unpooled = new TinyEncoderClassifier(
                        List.of("LABEL_0"), Optional.empty(), TinyEncoderClassifier.Pooling.NONE, Optional.empty())
                .write(root.resolve("unpooled"), 4);
        assertThatThrownBy(() -> RewardModel.load(unpooled, SessionSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        unpooled.resolve("model.onnx") + " outputs logits [1, 1, 1] for one sequence: the"
                                + " sequence-classification layout outputs logits [batch, num_labels], pooled over the sequence");
        Path disagreeing = new TinyEncoderClassifier(
                        List.of("a", "b"), Optional.empty(), TinyEncoderClassifier.Pooling.MASKED_MEAN, Optional.of(3))
                .write(root.resolve("disagreeing"), 4);
        assertThatThrownBy(() -> RewardModel.load(disagreeing, SessionSettings.DEFAULT))
                .hasMessage(disagreeing.resolve("config.json") + ": num_labels 3 disagrees with the 2 labels of"
                        + " id2label [a, b]");
    }

    @Test
    @DisplayName("an encoder with a tokenizer of its own scores the policy's text as its own tokenizer encodes it")
    void ownTokenizer() throws Exception {
        Path encoder = TinyEncoderClassifier.reward().write(root.resolve("encoder"), 6);
        Path policyDirectory = TinyModels.languageModel(root.resolve("policy"), 1);
        String text = "The film was great, 10 out of 10!";
        // the encoder's WordPiece ids of the text, spelled out by hand: [CLS] t ##h ##e f ##i ##l ##m ...
        List<String> vocab = TinyEncoderClassifier.vocabulary();
        long[] own = wordPieces(vocab, "the", "film", "was", "great", ",", "10", "out", "of", "10", "!");
        float expected = direct(encoder, new long[][] {own})[0][0];
        try (TextTokenizer policy = TextTokenizer.load(policyDirectory);
                RewardModel model = RewardModel.load(encoder, SessionSettings.DEFAULT)) {
            SequenceRewardModel forPolicy = RetokenizedRewardModel.forPolicy(model, policy);
            assertThat(forPolicy).isInstanceOf(RetokenizedRewardModel.class);
            assertThat(((RetokenizedRewardModel) forPolicy).tokenizer().encode(text))
                    .containsExactly(own);
            assertThat(forPolicy.inputVocabSize()).isEqualTo(policy.vocabSize());
            float[] scores = forPolicy.score(List.of(policy.encode(text), policy.encode("Dull.")));
            assertThat(scores[0]).isCloseTo(expected, within(1e-6f));
            assertThat(scores[1]).isNotEqualTo(scores[0]);
            // 100 words of two letters are 202 of the encoder's tokens, over its context of 128: [CLS], then the last
            // 127
            String longText = "ab ".repeat(100).trim();
            long[] whole = ((RetokenizedRewardModel) forPolicy).tokenizer().encode(longText);
            assertThat(whole).hasSize(202);
            long[] cut = new long[TinyEncoderClassifier.CONTEXT];
            cut[0] = whole[0];
            System.arraycopy(whole, whole.length - 127, cut, 1, 127);
            assertThat(forPolicy.score(List.of(policy.encode(longText)))[0])
                    .isCloseTo(direct(encoder, new long[][] {cut})[0][0], within(1e-6f));
            ((RetokenizedRewardModel) forPolicy).close();
        }
    }

    private static long[] wordPieces(List<String> vocab, String... words) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        ids.add((long) vocab.indexOf("[CLS]"));
        for (String word : words) {
            for (int i = 0; i < word.length(); i++) {
                ids.add((long) vocab.indexOf((i == 0 ? "" : "##") + word.charAt(i)));
            }
        }
        ids.add((long) vocab.indexOf("[SEP]"));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    @DisplayName("a reward model sharing the policy's tokenizer reads its ids directly")
    void sharedTokenizer() throws Exception {
        Path policyDirectory = TinyModels.languageModel(root.resolve("policy"), 1);
        Path rm = OnnxSequenceRewardModelTest.writeClassifier(root.resolve("rm"), 2);
        Files.copy(policyDirectory.resolve("tokenizer.json"), rm.resolve("tokenizer.json"));
        try (TextTokenizer policy = TextTokenizer.load(policyDirectory);
                RewardModel model = RewardModel.load(rm, SessionSettings.DEFAULT)) {
            assertThat(RetokenizedRewardModel.forPolicy(model, policy)).isSameAs(model);
        }
    }

    @Test
    @DisplayName("an unreadable tokenizer, or none where the vocabulary is smaller than the policy's, is a load error")
    void badTokenizer() throws Exception {
        Path policyDirectory = TinyModels.languageModel(root.resolve("policy"), 1);
        Path encoder = TinyEncoderClassifier.reward().write(root.resolve("encoder"), 6);
        try (TextTokenizer policy = TextTokenizer.load(policyDirectory);
                RewardModel model = RewardModel.load(encoder, SessionSettings.DEFAULT)) {
            Files.writeString(encoder.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Mystery\", \"vocab\": {}}}");
            assertThatThrownBy(() -> RetokenizedRewardModel.forPolicy(model, policy))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(encoder.resolve("tokenizer.json")
                            + " is not a tokenizer the Hugging Face tokenizers library accepts");
            Files.delete(encoder.resolve("tokenizer.json"));
            assertThatThrownBy(() -> RetokenizedRewardModel.forPolicy(model, policy))
                    .hasMessage(encoder + " has no tokenizer.json and accepts token ids [0, "
                            + TinyEncoderClassifier.vocabulary().size() + "), fewer than the " + policy.vocabSize()
                            + " of the policy's " + policy.file()
                            + ": a reward model with a vocabulary of its own needs its tokenizer.json");
        }
    }
}
