package dev.trimtab.training.pipeline;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.Generator;
import dev.trimtab.decoding.schedule.TokenListener;
import dev.trimtab.training.train.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Samples an exported policy with the project's own engine (ONNX Runtime, batched), as the server
 * would: {@code perPrompt} completions of every prompt, each row seeded from {@code seed}, its
 * prompt index and its sample index, so that sampling replays exactly.
 */
final class PolicySampler {
    private PolicySampler() {}

    /** One sampled completion. */
    record Sample(int promptIndex, int sampleIndex, String prompt, Completion completion) {}

    static List<Sample> sample(
            Path modelDirectory,
            List<String> prompts,
            int perPrompt,
            SamplingSection settings,
            long seed,
            String label,
            ProgressBar.Mode progress,
            PrintStream out)
            throws OrtException {
        List<Sample> samples = new ArrayList<>(prompts.size() * perPrompt);
        int total = prompts.size() * perPrompt;
        ProgressBar bar = new ProgressBar(label, total, 0, out, progress);
        long start = System.nanoTime();
        long tokens = 0;
        try (LanguageModel model = LanguageModel.load(modelDirectory, SessionSettings.DEFAULT)) {
            Generator generator = new Generator(model);
            List<long[]> promptIds = new ArrayList<>(prompts.size());
            prompts.forEach(prompt -> promptIds.add(model.tokenizer().encode(prompt)));
            for (int from = 0; from < total; from += settings.batchSize()) {
                int to = Math.min(total, from + settings.batchSize());
                List<GenerationRequest> requests = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    int p = i / perPrompt;
                    SamplingParams params = SamplingParams.defaults()
                            .withTemperature(settings.temperature())
                            .withMaxTokens(settings.maxTokens())
                            .withSeed(
                                    Seeds.derive(seed, "sample", Integer.toString(p), Integer.toString(i % perPrompt)));
                    requests.add(new GenerationRequest(promptIds.get(p), params));
                }
                List<Completion> completions = generator.generate(requests, TokenListener.NONE);
                for (int i = from; i < to; i++) {
                    Completion completion = completions.get(i - from);
                    tokens += completion.completionTokens();
                    samples.add(new Sample(i / perPrompt, i % perPrompt, prompts.get(i / perPrompt), completion));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                bar.update(to, String.format(Locale.ROOT, "%s tok/s", compact(tokens / Math.max(seconds, 1e-9))));
            }
        }
        bar.finish(String.format(
                Locale.ROOT, "%d completions, %d tokens in %.1f s", total, tokens, (System.nanoTime() - start) / 1e9));
        return samples;
    }

    private static String compact(double value) {
        return value >= 1000
                ? String.format(Locale.ROOT, "%.1fk", value / 1000)
                : String.format(Locale.ROOT, "%.0f", value);
    }
}
