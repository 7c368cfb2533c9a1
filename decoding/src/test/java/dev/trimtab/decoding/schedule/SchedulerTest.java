package dev.trimtab.decoding.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.fixtures.AlignmentFixtures;
import dev.trimtab.decoding.fixtures.Decoding;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.StrategyPlan;
import dev.trimtab.decoding.strategy.args.ArgsParams;
import dev.trimtab.decoding.strategy.bestofn.BestOfNParams;
import dev.trimtab.decoding.strategy.cd.ControlledDecodingParams;
import dev.trimtab.decoding.strategy.dera.DeraParams;
import dev.trimtab.decoding.strategy.genarm.GenArmParams;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
    @TempDir
    static Path directory;

    static AlignmentFixtures fixtures;

    @BeforeAll
    static void loadModels() throws Exception {
        fixtures = AlignmentFixtures.create(directory);
    }

    @AfterAll
    static void closeModels() throws Exception {
        fixtures.close();
    }

    private static DecodeRequest request(long seed, int maxTokens) {
        SamplingParams sampling = SamplingParams.defaults()
                .withSeed(seed)
                .withMaxTokens(maxTokens)
                .withIgnoreEos(true);
        return DecodeRequest.of(fixtures.tokenizer().encode("The film was"), sampling);
    }

    @Test
    @DisplayName(
            "requests of every strategy share the lanes, joining at different rounds, and decode as they would alone")
    void mixedStrategies() {
        List<AlignmentStrategy> strategies = List.of(
                PlainSampling.INSTANCE,
                DeraParams.of(0.6).withAligned(AlignmentFixtures.ALIGNED),
                GenArmParams.of(AlignmentFixtures.SMALL_ARM, 0.5),
                ArgsParams.defaults().withK(4),
                BestOfNParams.of(3),
                ControlledDecodingParams.defaults().withK(3),
                ControlledDecodingParams.blockwise(2, 3),
                DeraParams.of(-0.5).withAligned(AlignmentFixtures.ALIGNED));
        List<DecodeRequest> requests = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            for (int i = 0; i < strategies.size(); i++) {
                DecodeRequest request = request(20 + i, 5 + i).withStrategy(strategies.get(i));
                requests.add(request);
                listeners.add(new RecordingListener());
                scheduler.submit(request, listeners.get(i));
                scheduler.runRound();
            }
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            assertThat(listeners.get(i).tokenIds())
                    .as(strategies.get(i).name())
                    .containsExactly(
                            Decoding.alone(fixtures.models(), requests.get(i)).tokenIds());
        }
        assertThat(fixtures.liveCacheTensors()).isZero();
    }

    @Test
    @DisplayName("many requests arriving, finishing and being cancelled at random rounds, with prompts of every"
            + " length, move rows in place and out and still decode as they would alone")
    void randomTraffic() {
        SplittableRandom random = new SplittableRandom(99);
        List<AlignmentStrategy> strategies = List.of(
                PlainSampling.INSTANCE,
                DeraParams.of(0.5).withAligned(AlignmentFixtures.ALIGNED),
                GenArmParams.of(AlignmentFixtures.ARM, 0.7),
                BestOfNParams.of(2),
                ControlledDecodingParams.blockwise(2, 2));
        List<DecodeRequest> requests = new ArrayList<>();
        List<RecordingListener> listeners = new ArrayList<>();
        List<RequestHandle> cancelled = new ArrayList<>();
        long copiedBefore = fixtures.base().decoder().copiedCacheFloats();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            for (int round = 0; round < 40 || scheduler.hasWork(); round++) {
                if (round < 40 && random.nextInt(3) == 0) {
                    long[] prompt = random.longs(random.nextInt(1, 14), 0, TinyModels.demoVocabSize())
                            .toArray();
                    DecodeRequest request = request(round, random.nextInt(2, 12))
                            .withPrompt(prompt)
                            .withStrategy(strategies.get(random.nextInt(strategies.size())));
                    RecordingListener listener = new RecordingListener();
                    RequestHandle handle = scheduler.submit(request, listener);
                    if (random.nextInt(6) == 0) {
                        cancelled.add(handle);
                    } else {
                        requests.add(request);
                        listeners.add(listener);
                    }
                }
                if (round % 5 == 4 && !cancelled.isEmpty()) {
                    cancelled.remove(0).cancel();
                }
                scheduler.runRound();
            }
        }
        assertThat(requests).hasSizeGreaterThan(8);
        for (int i = 0; i < requests.size(); i++) {
            assertThat(listeners.get(i).tokenIds())
                    .as("request %d, %s", i, requests.get(i).strategy().name())
                    .containsExactly(
                            Decoding.alone(fixtures.models(), requests.get(i)).tokenIds());
        }
        assertThat(fixtures.base().decoder().copiedCacheFloats())
                .as("rows moved between batches")
                .isGreaterThan(copiedBefore);
        assertThat(fixtures.liveCacheTensors()).isZero();
    }

    @Test
    @DisplayName("a prompt that fills a context, or an id outside a vocabulary, is refused at submission")
    void refusedAtSubmission() {
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            DecodeRequest full = DecodeRequest.of(new long[64], request(1, 4).sampling());
            assertThatThrownBy(() -> scheduler.submit(full, new RecordingListener()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("prompt has 64 tokens, which leaves no room to generate within the model's context"
                            + " of 64");
            DecodeRequest outside =
                    DecodeRequest.of(new long[] {5, 999}, request(1, 4).sampling());
            int vocab = fixtures.base().decoder().inputVocabSize();
            assertThatThrownBy(() -> scheduler.submit(outside, new RecordingListener()))
                    .hasMessage("prompt token ids must be in [0, " + vocab + ") for 'base', got 999 at index 1");
            assertThat(scheduler.waitingRequests()).isZero();
        }
    }

    @Test
    @DisplayName("requests beyond the running-row limit wait in the queue and decode as they would alone")
    void admissionLimit() {
        RecordingListener[] listeners = {new RecordingListener(), new RecordingListener(), new RecordingListener()};
        try (Scheduler scheduler = new Scheduler(fixtures.models(), new SchedulerSettings(2, 1000))) {
            for (int i = 0; i < 3; i++) {
                scheduler.submit(request(i, 5 + i), listeners[i]);
            }
            assertThat(scheduler.waitingRequests()).isEqualTo(3);
            scheduler.runRound();
            assertThat(scheduler.runningRequests()).isEqualTo(2);
            assertThat(scheduler.runningRows()).isEqualTo(2);
            assertThat(scheduler.waitingRequests()).isEqualTo(1);
            assertThat(listeners[2].started).isFalse();
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
            assertThatThrownBy(() ->
                            scheduler.submit(request(1, 4).withStrategy(BestOfNParams.of(3)), new RecordingListener()))
                    .hasMessage("the request needs 3 rows, more than the scheduler runs at once (2)");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(listeners[i].tokenIds())
                    .containsExactly(
                            Decoding.alone(fixtures.models(), request(i, 5 + i)).tokenIds());
        }
    }

    @Test
    @DisplayName("prompts beyond what is left of a round's prefill budget wait for the next round")
    void prefillBudget() {
        RecordingListener running = new RecordingListener();
        RecordingListener[] waiting = {new RecordingListener(), new RecordingListener(), new RecordingListener()};
        long[] prompt = fixtures.tokenizer().encode("The film was");
        try (Scheduler scheduler = new Scheduler(fixtures.models(), new SchedulerSettings(8, 2 * prompt.length))) {
            scheduler.submit(request(1, 12), running);
            scheduler.runRound();
            for (int i = 0; i < 3; i++) {
                scheduler.submit(request(2 + i, 4), waiting[i]);
            }
            scheduler.runRound();
            assertThat(waiting[0].started && waiting[1].started).isTrue();
            assertThat(waiting[2].started).as("beyond the budget of the round").isFalse();
            scheduler.runRound();
            assertThat(waiting[2].started).isTrue();
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        assertThat(running.tokenIds())
                .containsExactly(
                        Decoding.alone(fixtures.models(), request(1, 12)).tokenIds());
        for (int i = 0; i < 3; i++) {
            assertThat(waiting[i].tokenIds())
                    .containsExactly(
                            Decoding.alone(fixtures.models(), request(2 + i, 4)).tokenIds());
        }
    }

    @Test
    @DisplayName("while no request decodes, a round prefills up to four budgets: a burst reaching an idle scheduler"
            + " starts at once, and prompts beyond four budgets wait")
    void idleSchedulerPrefillsBurst() {
        long[] prompt = fixtures.tokenizer().encode("The film was");
        RecordingListener[] burst = new RecordingListener[5];
        try (Scheduler scheduler = new Scheduler(fixtures.models(), new SchedulerSettings(8, prompt.length))) {
            for (int i = 0; i < burst.length; i++) {
                burst[i] = new RecordingListener();
                scheduler.submit(request(20 + i, 3), burst[i]);
            }
            scheduler.runRound();
            for (int i = 0; i < Scheduler.IDLE_BUDGET_FACTOR; i++) {
                assertThat(burst[i].started).as("request %d", i).isTrue();
            }
            assertThat(burst[4].started).as("beyond four budgets").isFalse();
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        for (int i = 0; i < burst.length; i++) {
            assertThat(burst[i].tokenIds())
                    .containsExactly(Decoding.alone(fixtures.models(), request(20 + i, 3))
                            .tokenIds());
        }
    }

    @Test
    @DisplayName("a prompt longer than the prefill budget is prefilled a chunk per round on every lane of its"
            + " strategy while the running request steps every round, then decodes as it would alone")
    void chunkedPrefill() {
        List<AlignmentStrategy> strategies = List.of(
                PlainSampling.INSTANCE,
                GenArmParams.of(AlignmentFixtures.ARM, 0.7),
                DeraParams.of(0.5).withAligned(AlignmentFixtures.ALIGNED),
                ArgsParams.defaults().withK(3),
                BestOfNParams.of(3),
                ControlledDecodingParams.blockwise(2, 2));
        long[] longPrompt =
                new SplittableRandom(5).longs(23, 0, TinyModels.demoVocabSize()).toArray();
        int budget = 5;
        int chunks = (longPrompt.length + budget - 1) / budget;
        for (AlignmentStrategy strategy : strategies) {
            RecordingListener running = new RecordingListener();
            RecordingListener staged = new RecordingListener();
            DecodeRequest runningRequest = request(7, 3 * chunks);
            DecodeRequest stagedRequest = request(8, 6).withPrompt(longPrompt).withStrategy(strategy);
            try (Scheduler scheduler = new Scheduler(fixtures.models(), new SchedulerSettings(16, budget))) {
                scheduler.submit(runningRequest, running);
                scheduler.runRound();
                scheduler.runRound();
                scheduler.submit(stagedRequest, staged);
                for (int round = 1; round <= chunks; round++) {
                    int before = running.tokens.size();
                    scheduler.runRound();
                    assertThat(running.tokens.size())
                            .as("%s: the running request steps in round %d", strategy.name(), round)
                            .isEqualTo(before + 1);
                    assertThat(staged.started).isTrue();
                    if (round < chunks) {
                        assertThat(staged.tokens)
                                .as("a token before the prompt has run whole")
                                .isEmpty();
                    }
                    assertThat(scheduler.runningRequests()).isEqualTo(2);
                }
                while (scheduler.hasWork()) {
                    scheduler.runRound();
                }
            }
            RecordingListener alone = Decoding.alone(fixtures.models(), stagedRequest);
            assertThat(staged.tokenIds()).as(strategy.name()).containsExactly(alone.tokenIds());
            staged.result.accounting().models().forEach((model, usage) -> assertThat(usage.tokens())
                    .as("%s: tokens run by %s", strategy.name(), model)
                    .isEqualTo(alone.result.accounting().models().get(model).tokens()));
            assertThat(staged.result
                            .accounting()
                            .models()
                            .get(AlignmentFixtures.BASE)
                            .forwardPasses())
                    .as("%s: the prompt's chunks are passes of their own", strategy.name())
                    .isEqualTo(alone.result
                                    .accounting()
                                    .models()
                                    .get(AlignmentFixtures.BASE)
                                    .forwardPasses()
                            + chunks
                            - 1);
            assertThat(running.tokenIds())
                    .containsExactly(
                            Decoding.alone(fixtures.models(), runningRequest).tokenIds());
            assertThat(fixtures.liveCacheTensors()).as(strategy.name()).isZero();
        }
    }

    @Test
    @DisplayName("a request cancelled, or a scheduler closed, while its prompt is prefilled in chunks frees its"
            + " caches and tells its listener")
    void cancelledWhileChunked() {
        long[] longPrompt =
                new SplittableRandom(6).longs(20, 0, TinyModels.demoVocabSize()).toArray();
        RecordingListener cancelled = new RecordingListener();
        RecordingListener closed = new RecordingListener();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), new SchedulerSettings(16, 4))) {
            RequestHandle handle = scheduler.submit(
                    request(1, 4).withPrompt(longPrompt).withStrategy(GenArmParams.of(AlignmentFixtures.ARM, 0.5)),
                    cancelled);
            scheduler.runRound();
            handle.cancel();
            scheduler.runRound();
            assertThat(cancelled.cancelled).isNotNull();
            assertThat(scheduler.hasWork()).isFalse();
            assertThat(fixtures.liveCacheTensors()).isZero();
            scheduler.submit(request(2, 4).withPrompt(longPrompt), closed);
            scheduler.runRound();
            assertThat(closed.started).isTrue();
        }
        assertThat(closed.cancelled).isNotNull();
        assertThat(closed.tokens).isEmpty();
        assertThat(fixtures.liveCacheTensors()).isZero();
    }

    @Test
    @DisplayName("a listener that throws ends its own request only, and frees its rows")
    void throwingListener() {
        RecordingListener failing = RecordingListener.throwingOnToken(new IllegalStateException("client went away"));
        RecordingListener healthy = new RecordingListener();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            scheduler.submit(request(3, 6), failing);
            scheduler.submit(request(4, 6), healthy);
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        assertThat(failing.error).hasMessage("client went away");
        assertThat(healthy.tokenIds())
                .containsExactly(
                        Decoding.alone(fixtures.models(), request(4, 6)).tokenIds());
        assertThat(fixtures.liveCacheTensors()).isZero();
    }

    @Test
    @DisplayName("a failing reward model fails the requests that used it, and only those")
    void failingRewardModel() {
        SequenceRewardModel broken = new SequenceRewardModel() {
            @Override
            public float[] score(List<long[]> sequences) throws OrtException {
                throw new OrtException("out of memory");
            }

            @Override
            public int inputVocabSize() {
                return fixtures.base().decoder().inputVocabSize();
            }

            @Override
            public int contextLength() {
                return 64;
            }
        };
        AlignmentModels models = fixtures.models().withRewardModel("broken", broken);
        RecordingListener failed = new RecordingListener();
        RecordingListener healthy = new RecordingListener();
        try (Scheduler scheduler = new Scheduler(models, SchedulerSettings.DEFAULT)) {
            scheduler.submit(request(5, 4).withStrategy(BestOfNParams.of(2).withRewardModel("broken")), failed);
            scheduler.submit(request(6, 6), healthy);
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        assertThat(failed.error).isInstanceOf(OrtException.class).hasMessageContaining("out of memory");
        assertThat(healthy.result).isNotNull();
    }

    @Test
    @DisplayName("a strategy that leaves a row without input fails alone, with a message naming it")
    void stalledStrategy() {
        AlignmentStrategy lazy = new AlignmentStrategy() {
            @Override
            public StrategyDescriptor descriptor() {
                return new StrategyDescriptor("lazy", "leaves its row without input", List.of(), values -> this);
            }

            @Override
            public StrategyPlan plan(AlignmentModels models) {
                return StrategyPlan.baseOnly(1);
            }

            @Override
            public StepDecoder start(RequestContext context) {
                context.openBase();
                return () -> {};
            }
        };
        RecordingListener stalled = new RecordingListener();
        RecordingListener healthy = new RecordingListener();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            scheduler.submit(request(7, 4).withStrategy(lazy), stalled);
            scheduler.submit(request(8, 4), healthy);
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        assertThat(stalled.error).hasMessage("strategy 'lazy' gave a row of 'base' no input for its step");
        assertThat(healthy.tokenIds())
                .containsExactly(
                        Decoding.alone(fixtures.models(), request(8, 4)).tokenIds());
        assertThat(fixtures.liveCacheTensors()).isZero();
    }

    @Test
    @DisplayName("closing the scheduler cancels running and queued requests and frees every tensor")
    void closeCancelsEverything() {
        RecordingListener running = new RecordingListener();
        RecordingListener queued = new RecordingListener();
        Scheduler scheduler = new Scheduler(fixtures.models(), new SchedulerSettings(1, 1000));
        scheduler.submit(request(9, 30), running);
        scheduler.submit(request(10, 30), queued);
        scheduler.runRound();
        scheduler.runRound();
        scheduler.close();
        assertThat(running.cancelled).isNotNull();
        assertThat(queued.cancelled).isNotNull();
        assertThat(queued.started).isFalse();
        assertThat(fixtures.liveCacheTensors()).isZero();
        assertThatThrownBy(() -> scheduler.submit(request(1, 1), new RecordingListener()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("the scheduler thread waits for work and wakes when another thread submits")
    void awaitWork() throws Exception {
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            assertThat(scheduler.awaitWork(Duration.ofMillis(10))).isFalse();
            RecordingListener listener = new RecordingListener();
            CompletableFuture.runAsync(() -> scheduler.submit(request(11, 3), listener), Runnable::run);
            assertThat(scheduler.awaitWork(Duration.ofSeconds(5))).isTrue();
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
            assertThat(listener.result).isNotNull();
        }
    }

    @Test
    @DisplayName("a request cancelled while queued never starts")
    void cancelledInQueue() {
        RecordingListener listener = new RecordingListener();
        try (Scheduler scheduler = new Scheduler(fixtures.models(), SchedulerSettings.DEFAULT)) {
            scheduler.submit(request(12, 3), listener).cancel();
            scheduler.runRound();
            assertThat(scheduler.hasWork()).isFalse();
        }
        assertThat(listener.started).isFalse();
        assertThat(listener.cancelled).isNotNull();
    }
}
