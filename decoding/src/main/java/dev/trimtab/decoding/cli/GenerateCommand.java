package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.Generator;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates a completion, streaming it to standard output, and reports the decode speed. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Complete a prompt with a model directory.")
final class GenerateCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            description = "Model directory (config.json, tokenizer.json, model.onnx).")
    Path model;

    @Option(names = "--prompt", required = true, description = "Text to complete.")
    String prompt;

    @Option(
            names = "--max-tokens",
            defaultValue = "64",
            description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "1.0", description = "0 is greedy (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens; 0 keeps all.")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus mass to keep; 1 keeps all.")
    double topP;

    @Option(names = "--min-p", defaultValue = "0.0", description = "Drop tokens below min-p times the top probability.")
    double minP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "1 is off.")
    double repetitionPenalty;

    @Option(names = "--seed", description = "Seed; the same seed and prompt give the same completion.")
    Long seed;

    @Option(names = "--stop", description = "Stop sequence (repeatable).")
    List<String> stop = List.of();

    @Option(names = "--ignore-eos", description = "Keep generating after an end-of-sequence token.")
    boolean ignoreEos;

    @Mixin
    RuntimeOptions session;

    @Override
    public Integer call() throws Exception {
        SamplingParams params = params();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (LanguageModel language = LanguageModel.load(model, session.settings())) {
            long[] promptIds = language.tokenizer().encode(prompt);
            long start = System.nanoTime();
            long[] firstToken = {0};
            Completion completion = new Generator(language)
                    .generate(new GenerationRequest(promptIds, params), (index, token, text) -> {
                        if (firstToken[0] == 0) firstToken[0] = System.nanoTime();
                        out.print(text);
                    });
            out.println();
            report(completion, start, firstToken[0], System.nanoTime());
        }
        return 0;
    }

    private SamplingParams params() {
        SamplingParams params = SamplingParams.defaults()
                .withMaxTokens(maxTokens)
                .withTemperature(temperature)
                .withTopK(topK)
                .withTopP(topP)
                .withMinP(minP)
                .withRepetitionPenalty(repetitionPenalty)
                .withStop(stop)
                .withIgnoreEos(ignoreEos);
        return seed == null ? params : params.withSeed(seed);
    }

    private static void report(Completion completion, long start, long firstToken, long end) {
        double decodeSeconds = (end - firstToken) / 1e9;
        int decoded = Math.max(0, completion.completionTokens() - 1);
        System.err.printf(
                "[%d prompt tokens, %d completion tokens, finish_reason=%s; time to first token %.1f ms; "
                        + "decode %.1f tokens/s]%n",
                completion.promptTokens(),
                completion.completionTokens(),
                completion.finishReason().wireName(),
                (firstToken - start) / 1e6,
                decoded == 0 ? 0 : decoded / decodeSeconds);
    }
}
