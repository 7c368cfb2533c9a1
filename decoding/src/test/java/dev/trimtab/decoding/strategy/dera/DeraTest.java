package dev.trimtab.decoding.strategy.dera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Decoding;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeraTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return DeraParams.of(0.5).withAligned(AlignmentFixtures.ALIGNED);
    }

    @Test
    @DisplayName("DeRa with lambda 0 decodes exactly like the reference model, the aligned policy not run")
    void lambdaZeroIsReference() {
        assertRunsOnlyTheBase(DeraParams.of(0).withAligned(AlignmentFixtures.ALIGNED), 31);
    }

    @Test
    @DisplayName("DeRa with lambda 1 decodes exactly like the aligned model")
    void lambdaOneIsAligned() {
        RecordingListener dera =
                decode(request(32, 16).withStrategy(DeraParams.of(1).withAligned(AlignmentFixtures.ALIGNED)));
        AlignmentModels alignedAlone = AlignmentModels.of(AlignmentFixtures.ALIGNED, fixtures.aligned());
        RecordingListener aligned = Decoding.alone(alignedAlone, request(32, 16).withStrategy(PlainSampling.INSTANCE));
        assertThat(dera.tokenIds()).containsExactly(aligned.tokenIds());
    }

    @Test
    @DisplayName("DeRa's log-probabilities at each step equal the mixture computed from each model's own logits")
    void mixedLogProbabilities() throws Exception {
        double lambda = 1.7;
        RecordingListener run = decode(request(33, 5)
                .withStrategy(DeraParams.of(lambda).withAligned(AlignmentFixtures.ALIGNED))
                .withLogprobs(true));
        long[] prompt = prompt("The film was");
        for (int step = 0; step < 5; step++) {
            long[] prefix = Independent.prefix(prompt, run.tokenIds(), step);
            float[] reference = Independent.logits(fixtures.base().decoder(), prefix);
            float[] aligned = Independent.logits(fixtures.aligned().decoder(), prefix);
            float[] mixed = new float[reference.length];
            for (int v = 0; v < mixed.length; v++) {
                mixed[v] = (float) (lambda * aligned[v] + (1 - lambda) * reference[v]);
            }
            LogSoftmax.apply(mixed, mixed);
            assertThat(run.logprobs.get(step))
                    .as("step %d", step)
                    .isCloseTo(mixed[(int) run.tokenIds()[step]], within(1e-4));
        }
    }

    @Test
    @DisplayName("a lambda that is NaN or infinite is refused, naming the field")
    void nonFiniteLambda() {
        assertThatThrownBy(() -> DeraParams.of(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alignment.lambda must be a finite number, got NaN");
        assertThatThrownBy(() -> DeraParams.of(Double.NEGATIVE_INFINITY))
                .hasMessage("alignment.lambda must be a finite number, got -Infinity");
    }

    @Test
    @DisplayName("an unknown aligned policy is refused at submission, with the names that exist")
    void unknownAligned() {
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(DeraParams.of(0.5).withAligned("nope")),
                            new RecordingListener()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("alignment.aligned must name one of the aligned policies of 'base' [aligned],"
                            + " got 'nope'");
        }
    }

    @Test
    @DisplayName(
            "an ARM named as the aligned policy is refused as the wrong kind of model; absent, the only aligned policy is taken")
    void onlyAlignedPolicies() {
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4).withStrategy(DeraParams.of(0.5).withAligned(AlignmentFixtures.ARM)),
                            new RecordingListener()))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.code()).isEqualTo(InvalidRequestException.Code.WRONG_MODEL_KIND);
                        assertThat(e.field()).contains("alignment.aligned");
                    });
            assertThat(DeraParams.of(0.5).plan(fixtures.models()).lanes().get(0).name())
                    .isEqualTo(AlignmentFixtures.ALIGNED);
        }
    }
}
