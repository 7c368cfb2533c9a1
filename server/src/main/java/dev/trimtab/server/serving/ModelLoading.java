package dev.trimtab.server.serving;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.DecodeListener;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.rewards.model.RetokenizedRewardModel;
import dev.trimtab.rewards.model.RewardModel;
import dev.trimtab.server.chat.ChatTemplate;
import dev.trimtab.server.config.ModelEntry;
import dev.trimtab.server.metrics.ServingMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads one configured base model with its auxiliary models, builds its scheduler, and warms it up
 * with a short generation before it serves. An auxiliary model that cannot be loaded (its files
 * break a rule of its layout, its reward label is out of range, its tokenizer is unreadable) is
 * left out with its error, printed and listed in {@code /v1/models}; the base and its other models
 * serve. A base model that cannot be loaded fails the load.
 */
public final class ModelLoading {
    private ModelLoading() {}

    public static ServedModel load(ModelEntry config, ServingMetrics metrics) throws OrtException {
        OpenModels opened = new OpenModels();
        try {
            LanguageModel base = opened.add(LanguageModel.load(config.path(), config.session()));
            AlignmentModels models = AlignmentModels.of(config.name(), base);
            List<UnavailableModels.Failure> failures = new ArrayList<>();
            for (ModelKind kind : ModelKind.values()) {
                for (Map.Entry<String, Path> entry : config.auxiliary(kind).entrySet()) {
                    try {
                        models = withAuxiliary(models, config, kind, entry.getKey(), entry.getValue(), opened);
                    } catch (IllegalArgumentException | OrtException e) {
                        failures.add(new UnavailableModels.Failure(kind, entry.getKey(), e.getMessage()));
                        System.err.printf(
                                "warning: model '%s' serves without its %s '%s': %s%n",
                                config.name(), kind.configKey(), entry.getKey(), e.getMessage());
                    }
                }
            }
            Scheduler scheduler =
                    new Scheduler(models, new SchedulerSettings(config.maxRunningRows(), config.maxPrefillTokens()));
            warmUp(scheduler, base);
            ServedModel served = new SchedulerModel(
                    config.name(),
                    models,
                    scheduler,
                    ChatTemplate.of(config.path()),
                    metrics,
                    config.maxQueuedRequests(),
                    opened);
            return failures.isEmpty() ? served : new UnavailableModels(served, failures);
        } catch (OrtException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** Loads one auxiliary model as its kind's layout requires and registers it. */
    private static AlignmentModels withAuxiliary(
            AlignmentModels models, ModelEntry config, ModelKind kind, String name, Path directory, OpenModels opened)
            throws OrtException {
        SessionSettings session = config.session();
        return switch (kind.layout()) {
            case SEQUENCE -> {
                RewardModel loaded = opened.add(RewardModel.load(
                        directory,
                        session,
                        Optional.ofNullable(config.rewardLabels().get(name))));
                SequenceRewardModel forPolicy =
                        RetokenizedRewardModel.forPolicy(loaded, models.base().tokenizer());
                if (forPolicy instanceof RetokenizedRewardModel retokenized) {
                    opened.add(retokenized);
                }
                yield models.withRewardModel(name, forPolicy);
            }
            case SCORE_HEAD ->
                models.withDecoder(kind, name, opened.add(DecoderModel.load(directory, session)), Optional.empty());
            case LANGUAGE_MODEL -> {
                DecoderModel decoder = opened.add(DecoderModel.load(directory, session));
                Optional<TextTokenizer> tokenizer = Files.isRegularFile(directory.resolve("tokenizer.json"))
                        ? Optional.of(opened.add(TextTokenizer.load(directory)))
                        : Optional.empty();
                yield models.withDecoder(kind, name, decoder, tokenizer);
            }
        };
    }

    /** Runs one short greedy generation so that the first client does not pay for ONNX Runtime's first passes. */
    private static void warmUp(Scheduler scheduler, LanguageModel base) {
        AtomicBoolean done = new AtomicBoolean();
        long[] prompt = base.tokenizer().encode("Warm up.");
        SamplingParams greedy =
                SamplingParams.defaults().withTemperature(0).withMaxTokens(4).withIgnoreEos(true);
        scheduler.submit(DecodeRequest.of(prompt.length == 0 ? new long[] {0} : prompt, greedy), new DecodeListener() {
            @Override
            public void onToken(long token, String text, double logprob) {}

            @Override
            public void onFinish(DecodeResult result) {
                done.set(true);
            }

            @Override
            public void onError(Exception error) {
                throw new IllegalStateException("warm-up failed", error);
            }
        });
        while (!done.get() && scheduler.runRound()) {
            // rounds until the warm-up request finishes
        }
    }

    /** Everything loaded for one base model, closed together in reverse order. */
    private static final class OpenModels implements AutoCloseable {
        private final List<AutoCloseable> resources = new ArrayList<>();

        <T extends AutoCloseable> T add(T resource) {
            resources.add(resource);
            return resource;
        }

        @Override
        public void close() {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    // keep closing the others; a failed close leaks at most that one model
                }
            }
        }
    }
}
