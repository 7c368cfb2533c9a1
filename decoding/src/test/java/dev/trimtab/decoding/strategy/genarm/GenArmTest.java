package dev.trimtab.decoding.strategy.genarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GenArmTest extends StrategyContractKit {
    private static GenArmParams weights(double arm, double smallArm) {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put(AlignmentFixtures.ARM, arm);
        weights.put(AlignmentFixtures.SMALL_ARM, smallArm);
        return new GenArmParams(weights);
    }

    @Override
    protected AlignmentStrategy strategy() {
        return weights(0.7, 0.3);
    }

    @Test
    @DisplayName("GenARM with every alpha 0 decodes exactly like the base model, no ARM run")
    void zeroWeightsAreBase() {
        assertRunsOnlyTheBase(GenArmParams.of(AlignmentFixtures.ARM, 0), 41);
        assertRunsOnlyTheBase(weights(0, 0), 42);
    }

    @Test
    @DisplayName("GenARM skips an ARM weighted 0: the same tokens as without it, and no forward pass of it")
    void zeroWeightArmSkipped() {
        RecordingListener both = decode(request(43, 12).withStrategy(weights(0.9, 0)));
        RecordingListener alone = decode(request(43, 12).withStrategy(GenArmParams.of(AlignmentFixtures.ARM, 0.9)));
        assertThat(both.tokenIds()).containsExactly(alone.tokenIds());
        assertThat(both.result.accounting().models()).containsOnlyKeys(AlignmentFixtures.BASE, AlignmentFixtures.ARM);
        assertThat(weights(0.9, 0).plan(fixtures.models()).lanes())
                .extracting(lane -> lane.name())
                .containsExactly(AlignmentFixtures.ARM);
    }

    @Test
    @DisplayName(
            "GenARM's log-probabilities at each step equal log pi_base + sum alpha_i log pi_ARM_i from each model's own output")
    void mixedLogProbabilities() throws Exception {
        double alpha = 0.8;
        double smallAlpha = -0.4;
        RecordingListener run =
                decode(request(42, 5).withStrategy(weights(alpha, smallAlpha)).withLogprobs(true));
        long[] prompt = prompt("The film was");
        int shared = TinyModels.demoVocabSize();
        for (int step = 0; step < 5; step++) {
            long[] prefix = Independent.prefix(prompt, run.tokenIds(), step);
            float[] base = logProbabilities(Independent.logits(fixtures.base().decoder(), prefix));
            float[] arm = logProbabilities(Independent.logits(fixtures.arm(), prefix));
            float[] small = logProbabilities(Independent.logits(fixtures.smallArm(), prefix));
            float[] mixed = new float[base.length];
            for (int v = 0; v < mixed.length; v++) {
                mixed[v] = v < shared
                        ? (float) (base[v] + alpha * arm[v] + smallAlpha * small[v])
                        : Float.NEGATIVE_INFINITY;
            }
            LogSoftmax.apply(mixed, mixed);
            assertThat(run.logprobs.get(step))
                    .as("step %d", step)
                    .isCloseTo(mixed[(int) run.tokenIds()[step]], within(1e-4));
        }
    }

    private static float[] logProbabilities(float[] logits) {
        LogSoftmax.apply(logits, logits);
        return logits;
    }

    @Test
    @DisplayName(
            "an ARM with a smaller vocabulary masks the base's extra ids, which near-uniform sampling of the base draws")
    void smallerVocabularyMasksExtraIds() {
        int shared = TinyModels.demoVocabSize();
        boolean baseDrewAnExtraId = false;
        for (long seed = 43; seed < 51; seed++) {
            DecodeRequest request = request(seed, 56);
            DecodeRequest hot = request.withSampling(request.sampling().withTemperature(100));
            baseDrewAnExtraId |= Arrays.stream(
                            decode(hot.withStrategy(PlainSampling.INSTANCE)).tokenIds())
                    .anyMatch(token -> token >= shared);
            RecordingListener run = decode(hot.withStrategy(GenArmParams.of(AlignmentFixtures.SMALL_ARM, 1.0)));
            assertThat(run.tokens).as("seed %d", seed).allMatch(token -> token < shared);
        }
        assertThat(fixtures.base().decoder().vocabSize()).isGreaterThan(shared);
        assertThat(baseDrewAnExtraId)
                .as("without the mask an extra id is drawn")
                .isTrue();
    }

    @Test
    @DisplayName("a weight that is NaN or infinite is refused, naming the ARM")
    void nonFiniteWeights() {
        assertThatThrownBy(() -> GenArmParams.of("arm", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alignment.weights.arm must be a finite number, got NaN");
        assertThatThrownBy(() -> weights(Double.POSITIVE_INFINITY, Double.NaN))
                .hasMessage("alignment.weights.arm must be a finite number, got Infinity; "
                        + "alignment.weights.arm-small must be a finite number, got NaN");
        assertThatThrownBy(() -> new GenArmParams(Map.of()))
                .hasMessage("alignment.weights must name 1 to 8 autoregressive reward models, got 0");
    }

    @Test
    @DisplayName("an unknown ARM is refused at submission")
    void unknownArm() {
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(GenArmParams.of("positive", 1.0)), new RecordingListener()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(
                            "alignment.weights.positive must name one of the autoregressive reward models of 'base'");
        }
    }
}
