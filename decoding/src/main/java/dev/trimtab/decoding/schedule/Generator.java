package dev.trimtab.decoding.schedule;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.strategy.AlignmentModels;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates completions for a batch of requests on the {@link Scheduler}, the one decode loop of
 * the project: one prefill for all prompts, then one batched step per token, each row sampled with
 * its own parameters; finished rows leave the batch between steps.
 */
public final class Generator {
    private final LanguageModel model;

    public Generator(LanguageModel model) {
        this.model = model;
    }

    /** Generates every request to completion; {@code listener} sees each token as it is sampled. */
    public List<Completion> generate(List<GenerationRequest> requests, TokenListener listener) throws OrtException {
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        try (Scheduler scheduler = new Scheduler(AlignmentModels.of("base", model), SchedulerSettings.UNLIMITED)) {
            for (GenerationRequest request : requests) {
                Outcome outcome = new Outcome(outcomes.size(), listener);
                scheduler.submit(DecodeRequest.of(request.promptIds(), request.params()), outcome);
                outcomes.add(outcome);
            }
            while (scheduler.hasWork()) {
                scheduler.runRound();
            }
        }
        List<Completion> completions = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            completions.add(outcome.completion());
        }
        return completions;
    }

    /** Generates one request to completion. */
    public Completion generate(GenerationRequest request, TokenListener listener) throws OrtException {
        return generate(List.of(request), listener).get(0);
    }

    /** One request's listener: forwards tokens, keeps the completion or the error. */
    private static final class Outcome implements DecodeListener {
        private final int index;
        private final TokenListener listener;
        private Completion completion;
        private Exception error;

        Outcome(int index, TokenListener listener) {
            this.index = index;
            this.listener = listener;
        }

        @Override
        public void onToken(long token, String text, double logprob) {
            listener.onToken(index, token, text);
        }

        @Override
        public void onFinish(DecodeResult result) {
            completion = result.completion();
        }

        @Override
        public void onError(Exception e) {
            error = e;
        }

        Completion completion() throws OrtException {
            if (error instanceof OrtException ort) {
                throw ort;
            }
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (completion == null) {
                throw new IllegalStateException("request " + index + " ended without a completion", error);
            }
            return completion;
        }
    }
}
