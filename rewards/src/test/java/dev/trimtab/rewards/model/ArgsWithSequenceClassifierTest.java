package dev.trimtab.rewards.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Decoding;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.TinyEncoderClassifier;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.args.ArgsParams;
import dev.trimtab.decoding.strategy.cd.ControlledDecodingParams;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARGS and controlled decoding with a reward model in Optimum's sequence-classification layout,
 * exported from the same weights as the fixtures' score-head decoder with past.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArgsWithSequenceClassifierTest {
    private static final String CLASSIFIER = "classifier";
    private static final String ENCODER = "encoder";

    private AlignmentFixtures fixtures;
    private RewardModel classifier;
    private OrtSession direct;
    private RewardModel encoder;
    private RetokenizedRewardModel encoderForPolicy;
    private OrtSession directEncoder;
    private TextTokenizer encoderTokenizer;
    private AlignmentModels models;

    @BeforeAll
    void load(@TempDir Path directory) throws Exception {
        fixtures = AlignmentFixtures.create(directory.resolve("fixtures"));
        // the fixtures' scorer: the same architecture and seed, in the other layout
        DecoderSpec scorer = DecoderSpec.llama(2, 32, 4, 2, 48, TinyModels.demoVocabSize() + 3, 64)
                .withScoreHead();
        Path exported = directory.resolve(CLASSIFIER);
        TinyModels.write(
                exported, scorer, 35, ExportOptions.DEFAULT.withLayout(ExportOptions.Layout.SEQUENCE_CLASSIFICATION));
        classifier = RewardModel.load(exported, SessionSettings.DEFAULT);
        direct = OrtEnvironment.getEnvironment()
                .createSession(exported.resolve("model.onnx").toString());
        Path encoderDirectory = TinyEncoderClassifier.reward().write(directory.resolve(ENCODER), 11);
        encoder = RewardModel.load(encoderDirectory, SessionSettings.DEFAULT);
        encoderForPolicy = (RetokenizedRewardModel) RetokenizedRewardModel.forPolicy(encoder, fixtures.tokenizer());
        directEncoder = OrtEnvironment.getEnvironment()
                .createSession(encoderDirectory.resolve("model.onnx").toString());
        encoderTokenizer = TextTokenizer.load(encoderDirectory);
        models = fixtures.models().withRewardModel(CLASSIFIER, classifier).withRewardModel(ENCODER, encoderForPolicy);
    }

    @AfterAll
    void close() throws Exception {
        encoderTokenizer.close();
        directEncoder.close();
        encoderForPolicy.close();
        encoder.close();
        direct.close();
        classifier.close();
        fixtures.close();
    }

    /** The reward of one whole sequence: its own unpadded run of the exported graph, nothing shared with the server. */
    private float reward(long[] sequence) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] mask = new long[1][sequence.length];
        Arrays.fill(mask[0], 1);
        try (OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {sequence});
                OnnxTensor attention = OnnxTensor.createTensor(env, mask);
                OrtSession.Result result = direct.run(Map.of("input_ids", ids, "attention_mask", attention))) {
            return ((float[][]) result.get(0).getValue())[0][0];
        }
    }

    /** The encoder's reward of the policy's ids: their text, encoded by the encoder's tokenizer, run alone. */
    private float encoderReward(long[] policyIds) throws Exception {
        long[] ids = encoderTokenizer.encode(fixtures.tokenizer().decode(policyIds));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[][] mask = new long[1][ids.length];
        Arrays.fill(mask[0], 1);
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, new long[][] {ids});
                OnnxTensor attention = OnnxTensor.createTensor(env, mask);
                OnnxTensor types = OnnxTensor.createTensor(env, new long[1][ids.length]);
                OrtSession.Result result = directEncoder.run(
                        Map.of("input_ids", idTensor, "attention_mask", attention, "token_type_ids", types))) {
            return ((float[][]) result.get(0).getValue())[0][0];
        }
    }

    @Test
    @DisplayName(
            "greedy ARGS with an encoder of its own tokenizer scores each candidate's text as that tokenizer encodes it")
    void encoderWithItsOwnTokenizer() throws Exception {
        assertGreedyArgs(ENCODER, 5, this::encoderReward);
    }

    /** A reward computed independently of the engine for a sequence of policy ids. */
    @FunctionalInterface
    private interface Reward {
        float of(long[] policyIds) throws Exception;
    }

    /**
     * Greedy ARGS with {@code rewardModel} over {@code tokens} tokens takes, step by step, the argmax
     * of base logit + w * {@code reward}(prefix + candidate) among the base's top k, and the reward
     * changes at least one choice.
     */
    private void assertGreedyArgs(String rewardModel, int tokens, Reward reward) throws Exception {
        double weight = 40;
        long[] run = decode(ArgsParams.defaults().withWeight(weight).withRewardModel(rewardModel), 5, tokens);
        long[] prompt = fixtures.tokenizer().encode("The film was");
        boolean rewardChangedAChoice = false;
        for (int step = 0; step < run.length; step++) {
            long[] prefix = Independent.prefix(prompt, run, step);
            float[] logits = Independent.logits(fixtures.base().decoder(), prefix);
            int[] candidates = Independent.topK(logits, ArgsParams.DEFAULT_K);
            double[] scores = new double[candidates.length];
            for (int i = 0; i < candidates.length; i++) {
                scores[i] = logits[candidates[i]]
                        + weight * reward.of(Independent.prefix(prefix, new long[] {candidates[i]}, 1));
            }
            assertThat(run[step]).as("step %d", step).isEqualTo(candidates[Independent.argmax(scores)]);
            rewardChangedAChoice |= Independent.argmax(scores) != 0;
        }
        assertThat(rewardChangedAChoice)
                .as("the reward changed at least one choice")
                .isTrue();
    }

    private long[] decode(AlignmentStrategy strategy, long seed, int tokens) {
        DecodeRequest request = new DecodeRequest(
                fixtures.tokenizer().encode("The film was"),
                SamplingParams.defaults().withSeed(seed).withMaxTokens(tokens).withIgnoreEos(true),
                strategy,
                false);
        return Decoding.alone(models, request).tokenIds();
    }

    @Test
    @DisplayName(
            "greedy ARGS with a sequence-classification reward model takes, step by step, the argmax of base logit +"
                    + " w * RM(prefix + candidate), each candidate's whole sequence run alone through the graph")
    void argmaxOfLogitPlusReward() throws Exception {
        assertGreedyArgs(CLASSIFIER, 6, this::reward);
    }

    @Test
    @DisplayName(
            "the same trained reward as a score-head decoder with past (incremental) and as a sequence classifier gives"
                    + " the same ARGS text, and the same tokenwise and blockwise CD text")
    void bothLayoutsGiveTheSameText() {
        ArgsParams args = ArgsParams.defaults().withWeight(40);
        assertThat(decode(args.withRewardModel(CLASSIFIER), 7, 16))
                .containsExactly(decode(args.withRewardModel(AlignmentFixtures.SCORER), 7, 16));
        ControlledDecodingParams tokenwise = ControlledDecodingParams.defaults().withLambda(40);
        assertThat(decode(tokenwise.withScorer(CLASSIFIER), 8, 12))
                .containsExactly(decode(tokenwise.withScorer(AlignmentFixtures.PREFIX_SCORER), 8, 12));
        ControlledDecodingParams blockwise = ControlledDecodingParams.blockwise(4, 4);
        assertThat(decode(blockwise.withScorer(CLASSIFIER), 9, 12))
                .containsExactly(decode(blockwise.withScorer(AlignmentFixtures.PREFIX_SCORER), 9, 12));
    }
}
