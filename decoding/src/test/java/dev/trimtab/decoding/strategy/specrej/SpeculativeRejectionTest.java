package dev.trimtab.decoding.strategy.specrej;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Decoding;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.Candidate;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.strategy.StrategyContractKit;
import dev.trimtab.decoding.strategy.bestofn.BestOfNParams;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import dev.trimtab.decoding.strategy.specrej.SpeculativeRejectionParams.Partial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SpeculativeRejectionTest extends StrategyContractKit {
    @Override
    protected AlignmentStrategy strategy() {
        return SpeculativeRejectionParams.of(4).withRejection(0.5, 3);
    }

    @Override
    protected boolean pathIndependentOfEnding() {
        return false;
    }

    @Test
    @DisplayName("with rejection rate 0 it decodes exactly as best-of-N: tokens, candidates, rewards and base tokens")
    void noRejectionIsBestOfN() {
        for (long seed = 60; seed < 63; seed++) {
            DecodeResult specrej = decode(request(seed, 9)
                            .withStrategy(SpeculativeRejectionParams.of(5)
                                    .withRejection(0, 2)
                                    .withReturnAll(true)))
                    .result;
            DecodeResult best =
                    decode(request(seed, 9).withStrategy(BestOfNParams.of(5).withReturnAll(true))).result;
            assertThat(specrej.completion().tokenIds())
                    .containsExactly(best.completion().tokenIds());
            assertThat(specrej.completion().text()).isEqualTo(best.completion().text());
            assertThat(specrej.chosen()).isEqualTo(best.chosen());
            assertThat(specrej.candidates())
                    .extracting(Candidate::reward)
                    .containsExactlyElementsOf(
                            best.candidates().stream().map(Candidate::reward).toList());
            assertThat(specrej.candidates())
                    .extracting(candidate -> candidate.completion().tokenIds())
                    .containsExactlyElementsOf(best.candidates().stream()
                            .map(candidate -> candidate.completion().tokenIds())
                            .toList());
            assertThat(specrej.accounting().models())
                    .containsOnlyKeys(AlignmentFixtures.BASE, AlignmentFixtures.REWARD_MODEL);
            assertThat(specrej.accounting().models().get(AlignmentFixtures.BASE).tokens())
                    .isEqualTo(best.accounting()
                            .models()
                            .get(AlignmentFixtures.BASE)
                            .tokens());
            assertThat(specrej.accounting().candidatesPerRound())
                    .containsOnly(5)
                    .hasSize(9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Partial.class)
    @DisplayName("at a decision point the kept candidates are the top fraction by the partial value, computed apart")
    void keepsTheTopFraction(Partial partial) throws Exception {
        int n = 6;
        int decision = 3;
        int length = 5;
        Set<Set<Integer>> keptSets = new HashSet<>();
        for (long seed = 70; seed < 73; seed++) {
            DecodeRequest request = request(seed, length);
            long[][] plain = plainTrajectories(request, n);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = partialValue(partial, plain[i], decision);
            }
            List<Integer> kept = best(values, IntStream.range(0, n).boxed().toList(), 3);
            keptSets.add(Set.copyOf(kept));
            SpeculativeRejectionParams params = SpeculativeRejectionParams.of(n)
                    .withRejection(0.5, decision)
                    .withPartial(partial)
                    .withArm(AlignmentFixtures.ARM)
                    .withReturnAll(true);
            DecodeResult result = decode(request.withStrategy(params)).result;
            List<long[]> survivors = result.candidates().stream()
                    .map(candidate -> candidate.completion().tokenIds())
                    .toList();
            assertThat(survivors)
                    .as("seed %d", seed)
                    .containsExactlyElementsOf(
                            kept.stream().sorted().map(i -> plain[i]).toList());
            assertThat(result.accounting().candidatesPerRound()).containsExactly(6, 6, 6, 3, 3);
        }
        assertThat(keptSets).as("the kept sets differ between seeds").hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName(
            "a scripted reward model sees exactly the candidates the independent ranking keeps, decision after decision")
    void scriptedRejections() {
        ScriptedReward scripted = new ScriptedReward();
        AlignmentModels models = fixtures.models().withRewardModel("scripted", scripted);
        int n = 8;
        int length = 8;
        DecodeRequest request = request(75, length);
        long[][] plain = plainTrajectories(request, n);
        long[] prompt = prompt("The film was");
        List<List<long[]>> expectedCalls = new ArrayList<>();
        List<Integer> expectedAlive = new ArrayList<>();
        List<Integer> alive = IntStream.range(0, n).boxed().toList();
        for (int t = 1; t <= length; t++) {
            expectedAlive.add(alive.size());
            if (t % 2 == 0 && alive.size() > 1 && t < length) {
                final int tokens = t;
                expectedCalls.add(alive.stream()
                        .map(i -> Independent.prefix(prompt, plain[i], tokens))
                        .toList());
                double[] values = new double[n];
                alive.forEach(i -> values[i] = ScriptedReward.reward(plain[i][tokens - 1]));
                alive = best(values, alive, Math.max(1, (int) Math.round(0.5 * alive.size()))).stream()
                        .sorted()
                        .toList();
            }
        }
        expectedCalls.add(alive.stream()
                .map(i -> Independent.prefix(prompt, plain[i], length))
                .toList());
        SpeculativeRejectionParams params = SpeculativeRejectionParams.of(n)
                .withRejection(0.5, 2)
                .withRewardModel("scripted")
                .withReturnAll(true);
        RecordingListener run = Decoding.alone(models, request.withStrategy(params));
        assertThat(scripted.calls).hasSize(expectedCalls.size());
        for (int call = 0; call < expectedCalls.size(); call++) {
            assertThat(scripted.calls.get(call)).as("call %d", call).containsExactlyElementsOf(expectedCalls.get(call));
        }
        assertThat(run.result.accounting().candidatesPerRound()).containsExactlyElementsOf(expectedAlive);
        assertThat(expectedAlive).containsExactly(8, 8, 4, 4, 2, 2, 1, 1);
        assertThat(run.result.candidates()).extracting(Candidate::reward).hasSize(1);
        assertThat(run.tokenIds()).containsExactly(plain[alive.get(0)]);
    }

    @Test
    @DisplayName(
            "the tree variant keeps N candidates alive: the kept ones go on as alone, each with a child on its prefix")
    void treeBranchesTheKeptCandidates() throws Exception {
        int n = 6;
        int decision = 3;
        int length = 6;
        for (long seed = 76; seed < 78; seed++) {
            DecodeRequest request = request(seed, length);
            long[][] plain = plainTrajectories(request, n);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = partialValue(Partial.PREFIX_SCORER, plain[i], decision);
            }
            List<Integer> kept = best(values, IntStream.range(0, n).boxed().toList(), 3);
            SpeculativeRejectionParams params = SpeculativeRejectionParams.of(n)
                    .withRejection(0.5, decision)
                    .withPartial(Partial.PREFIX_SCORER)
                    .withTree(true)
                    .withReturnAll(true);
            DecodeResult result = decode(request.withStrategy(params)).result;
            List<long[]> candidates = result.candidates().stream()
                    .map(candidate -> candidate.completion().tokenIds())
                    .toList();
            assertThat(candidates).hasSize(n);
            assertThat(candidates.subList(0, 3))
                    .as("seed %d: the kept candidates, in their order", seed)
                    .containsExactlyElementsOf(
                            kept.stream().sorted().map(i -> plain[i]).toList());
            for (int child = 0; child < 3; child++) {
                long[] parent = plain[kept.get(child)];
                assertThat(Arrays.copyOf(candidates.get(3 + child), decision))
                        .as("seed %d: child %d continues its parent's prefix", seed, child)
                        .containsExactly(Arrays.copyOf(parent, decision));
                assertThat(candidates.get(3 + child)).hasSize(length);
            }
            assertThat(result.accounting().candidatesPerRound()).containsOnly(n).hasSize(length);
        }
    }

    @Test
    @DisplayName("with N = 1 it decodes exactly like plain sampling with the same seed, no other model run")
    void oneIsPlainSampling() {
        assertRunsOnlyTheBase(SpeculativeRejectionParams.of(1).withPartial(Partial.PREFIX_SCORER), 61);
        assertRunsOnlyTheBase(SpeculativeRejectionParams.of(1), 62);
    }

    @Test
    @DisplayName("without rejection the plan is best-of-N's; with a prefix scorer or an ARM it steps that model's lane")
    void plans() {
        AlignmentModels models = fixtures.models();
        SpeculativeRejectionParams base = SpeculativeRejectionParams.of(4);
        assertThat(base.withRejection(0, 8)
                        .withPartial(Partial.ARM)
                        .plan(models)
                        .lanes())
                .isEmpty();
        assertThat(base.plan(models).lanes()).isEmpty();
        assertThat(base.withPartial(Partial.PREFIX_SCORER).plan(models).lanes())
                .extracting(lane -> lane.name())
                .containsExactly(AlignmentFixtures.PREFIX_SCORER);
        assertThat(base.withPartial(Partial.ARM)
                        .withArm(AlignmentFixtures.SMALL_ARM)
                        .plan(models)
                        .lanes())
                .extracting(lane -> lane.name())
                .containsExactly(AlignmentFixtures.SMALL_ARM);
        assertThat(base.plan(models).baseRows()).isEqualTo(4);
    }

    @Test
    @DisplayName(
            "a rejection rate outside [0, 1], too few or too many candidates or decision tokens are refused, all at once")
    void badParameters() {
        assertThatThrownBy(() -> SpeculativeRejectionParams.of(4).withRejection(1.5, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alignment.rejection_rate must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> SpeculativeRejectionParams.of(4).withRejection(Double.NaN, 8))
                .hasMessage("alignment.rejection_rate must be in [0, 1], got NaN");
        assertThatThrownBy(() -> new SpeculativeRejectionParams(
                        65, 0.5, 0, Partial.ARM, Optional.empty(), Optional.empty(), Optional.empty(), false, false))
                .hasMessage("alignment.n must be in [1, 64], got 65; alignment.decision_tokens must be in [1, 4096],"
                        + " got 0");
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4)
                                    .withStrategy(
                                            SpeculativeRejectionParams.of(2).withPartial(Partial.ARM)),
                            new RecordingListener()))
                    .hasMessage("alignment.arm is required: 'base' has autoregressive reward models [arm, arm-small] to"
                            + " choose from");
            assertThatThrownBy(() -> scheduler.submit(
                            request(1, 4)
                                    .withStrategy(SpeculativeRejectionParams.of(2)
                                            .withPartial(Partial.PREFIX_SCORER)
                                            .withScorer(AlignmentFixtures.SCORER)),
                            new RecordingListener()))
                    .hasMessageStartingWith("alignment.scorer names 'scorer', one of the score-head reward models");
        }
    }

    /**
     * Candidate i's tokens when nothing stops it: plain sampling with its own seed, the request's for
     * the first, then draws of a split of it (what rejection rate 0 being best-of-N pins down).
     */
    private static long[][] plainTrajectories(DecodeRequest request, int n) {
        long seed = request.sampling().seed().orElseThrow();
        SplittableRandom seeds = new SplittableRandom(seed).split();
        long[][] plain = new long[n][];
        for (int i = 0; i < n; i++) {
            long own = i == 0 ? seed : seeds.nextLong();
            DecodeRequest alone = request.withSampling(request.sampling().withSeed(own));
            plain[i] = decode(alone.withStrategy(PlainSampling.INSTANCE)).tokenIds();
        }
        return plain;
    }

    /** The value of the first {@code tokens} tokens of {@code generated}, each model run on its own. */
    private static double partialValue(Partial partial, long[] generated, int tokens) throws Exception {
        long[] prompt = prompt("The film was");
        return switch (partial) {
            // The fixtures' reward model and prefix scorer are the same score-head decoder.
            case REWARD_MODEL, PREFIX_SCORER ->
                Independent.logits(fixtures.scorer(), Independent.prefix(prompt, generated, tokens))[0];
            case ARM -> {
                double sum = 0;
                for (int j = 0; j < tokens; j++) {
                    float[] logits = Independent.logits(fixtures.arm(), Independent.prefix(prompt, generated, j));
                    double max = Double.NEGATIVE_INFINITY;
                    for (float logit : logits) max = Math.max(max, logit);
                    double total = 0;
                    for (float logit : logits) total += Math.exp(logit - max);
                    sum += logits[(int) generated[j]] - max - Math.log(total);
                }
                yield sum;
            }
        };
    }

    /** The {@code keep} of {@code among} with the highest values, best first, ties to the lower index. */
    private static List<Integer> best(double[] values, List<Integer> among, int keep) {
        return among.stream()
                .sorted(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i))
                .limit(keep)
                .toList();
    }

    /** A reward model whose reward is a fixed function of the last token; it records every call. */
    private static final class ScriptedReward implements SequenceRewardModel {
        final List<List<long[]>> calls = new ArrayList<>();

        static double reward(long lastToken) {
            return (lastToken * 7919) % 101;
        }

        @Override
        public float[] score(List<long[]> sequences) {
            calls.add(List.copyOf(sequences));
            float[] scores = new float[sequences.size()];
            for (int i = 0; i < scores.length; i++) {
                long[] sequence = sequences.get(i);
                scores[i] = (float) reward(sequence[sequence.length - 1]);
            }
            return scores;
        }

        @Override
        public int inputVocabSize() {
            return fixtures.scorer().inputVocabSize();
        }

        @Override
        public int contextLength() {
            return fixtures.scorer().contextLength();
        }
    }
}
