package dev.trimtab.training.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.FloatTensor;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.DecoderInit;
import dev.trimtab.training.model.DecoderParameters;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.PaddedBatch;
import dev.trimtab.training.model.ReferenceLogProbs;
import dev.trimtab.training.model.SequenceLogProbs;
import dev.trimtab.training.model.StepScope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ObjectivesTest {
    private static final DecoderSpec SPEC = DecoderSpec.gpt2(1, 16, 2, 12, 16);
    private static final long PAD = 11;
    private static final TokenSequence CHOSEN = new TokenSequence(new long[] {1, 2, 3, 4, 11}, 2);
    private static final TokenSequence REJECTED = new TokenSequence(new long[] {1, 2, 5, 6, 7, 8, 11}, 2);

    private NDManager manager;
    private DecoderParameters parameters;
    private DjlDecoder model;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        parameters = DecoderParameters.of(manager, SPEC, DecoderInit.random(SPEC, 4));
        model = new DjlDecoder(parameters);
    }

    @AfterEach
    void close() {
        parameters.close();
        manager.close();
    }

    private double logProb(TokenSequence sequence) {
        try (StepScope step = StepScope.open(manager)) {
            return SequenceLogProbs.completion(model, step, PaddedBatch.of(step, List.of(sequence), PAD))
                    .getFloat(0);
        }
    }

    private Map<String, Double> loss(Objective<PreferencePair> objective, PreferencePair pair) {
        try (StepScope step = StepScope.open(manager)) {
            return objective.loss(model, step, List.of(pair, pair)).read();
        }
    }

    @Test
    @DisplayName("a uniform model has next-token perplexity equal to the vocabulary size")
    void uniformPerplexity() {
        Map<String, FloatTensor> zeros = new HashMap<>();
        DecoderWeights.expectedShapes(SPEC).forEach((name, shape) -> zeros.put(name, FloatTensor.zeros(shape)));
        try (DecoderParameters flat = DecoderParameters.of(manager, SPEC, new DecoderWeights(zeros));
                StepScope step = StepScope.open(manager)) {
            StepLoss loss = new NextTokenObjective(PAD).loss(new DjlDecoder(flat), step, List.of(CHOSEN, REJECTED));
            Map<String, Double> summary = new NextTokenObjective(PAD).summarize(loss.read());
            assertThat(summary.get("perplexity")).isCloseTo(12.0, within(1e-4));
            assertThat(loss.weight()).isEqualTo(3 + 5);
        }
    }

    @Test
    @DisplayName("padding does not change a sequence's completion log-probability")
    void paddingIsInvisible() {
        double alone = logProb(CHOSEN);
        try (StepScope step = StepScope.open(manager)) {
            float padded = SequenceLogProbs.completion(
                            model, step, PaddedBatch.of(step, List.of(CHOSEN, REJECTED), PAD))
                    .getFloat(0);
            assertThat((double) padded).isCloseTo(alone, within(1e-5));
        }
    }

    @Test
    @DisplayName("DPO with the policy as its own reference has loss log 2 and zero implicit rewards (eq. 7)")
    void dpoAtTheReference() {
        PreferencePair pair = ReferenceLogProbs.attach(
                        manager, SPEC, parameters.toWeights(), List.of(PreferencePair.of(CHOSEN, REJECTED)), PAD, 4)
                .get(0);
        Map<String, Double> metrics = loss(new DpoObjective(0.1, PAD), pair);
        assertThat(metrics.get("loss")).isCloseTo(Math.log(2), within(1e-5));
        assertThat(metrics.get("reward_margin")).isCloseTo(0, within(1e-5));
    }

    @Test
    @DisplayName("DPO's loss is -log sigmoid(beta * (policy - reference) margins)")
    void dpoFormula() {
        PreferencePair pair = PreferencePair.of(CHOSEN, REJECTED).withReference(-3.0, -5.0);
        double z = 0.5 * ((logProb(CHOSEN) + 3.0) - (logProb(REJECTED) + 5.0));
        Map<String, Double> metrics = loss(new DpoObjective(0.5, PAD), pair);
        assertThat(metrics.get("loss")).isCloseTo(Math.log1p(Math.exp(-z)), within(1e-5));
        assertThat(metrics.get("accuracy")).isEqualTo(z > 0 ? 1.0 : 0.0);
    }

    @Test
    @DisplayName("GenARM's loss is -log sigmoid(beta_r * (log pi_r(chosen) - log pi_r(rejected)))")
    void armFormula() {
        double z = 0.1 * (logProb(CHOSEN) - logProb(REJECTED));
        Map<String, Double> metrics = loss(new ArmObjective(0.1, PAD), PreferencePair.of(CHOSEN, REJECTED));
        assertThat(metrics.get("loss")).isCloseTo(Math.log1p(Math.exp(-z)), within(1e-5));
        assertThat(metrics.get("reward_margin")).isCloseTo(z, within(1e-5));
    }

    @Test
    @DisplayName("the Bradley-Terry loss reads each sequence's score at its last real token")
    void bradleyTerryPoolsAtTheLastToken() {
        DecoderSpec scoreSpec = SPEC.withScoreHead();
        try (DecoderParameters scorer = DecoderParameters.of(
                        manager, scoreSpec, DecoderInit.withScoreHead(parameters.toWeights(), scoreSpec, 5));
                StepScope step = StepScope.open(manager)) {
            DjlDecoder scoreModel = new DjlDecoder(scorer);
            float chosen = lastScore(scoreModel, step, CHOSEN);
            float rejected = lastScore(scoreModel, step, REJECTED);
            Map<String, Double> metrics = new BradleyTerryObjective(PAD)
                    .loss(scoreModel, step, List.of(PreferencePair.of(CHOSEN, REJECTED)))
                    .read();
            double z = chosen - rejected;
            assertThat(metrics.get("loss")).isCloseTo(Math.log1p(Math.exp(-z)), within(1e-5));
        }
    }

    @Test
    @DisplayName("the prefix value loss is the mean squared error over the prompt's last and every completion position")
    void prefixValue() {
        DecoderSpec scoreSpec = SPEC.withScoreHead();
        try (DecoderParameters scorer = DecoderParameters.of(
                        manager, scoreSpec, DecoderInit.withScoreHead(parameters.toWeights(), scoreSpec, 5));
                StepScope step = StepScope.open(manager)) {
            DjlDecoder scoreModel = new DjlDecoder(scorer);
            float[] scores = scoreModel
                    .scores(scoreModel.hidden(
                            step.manager(),
                            step.longs(new long[][] {CHOSEN.ids()}),
                            step.longs(new long[][] {{1, 1, 1, 1, 1}})))
                    .toFloatArray();
            double expected = 0;
            for (int t = 1; t < 5; t++) {
                expected += Math.pow(scores[t] - 0.5, 2) / 4;
            }
            Map<String, Double> metrics = new PrefixValueObjective(PAD)
                    .loss(scoreModel, step, List.of(new ScoredSequence(CHOSEN, 0.5)))
                    .read();
            assertThat(metrics.get("loss")).isCloseTo(expected, within(1e-6));
            assertThat(metrics.get("final_mse")).isCloseTo(Math.pow(scores[4] - 0.5, 2), within(1e-6));
        }
    }

    private static float lastScore(DjlDecoder model, StepScope step, TokenSequence sequence) {
        long[] mask = new long[sequence.length()];
        java.util.Arrays.fill(mask, 1);
        float[] scores = model.scores(model.hidden(
                        step.manager(), step.longs(new long[][] {sequence.ids()}), step.longs(new long[][] {mask})))
                .toFloatArray();
        return scores[scores.length - 1];
    }
}
