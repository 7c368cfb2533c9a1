package dev.trimtab.decoding.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.Independent;
import dev.trimtab.decoding.fixtures.RecordingListener;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.schedule.SchedulerSettings;
import dev.trimtab.decoding.strategy.dera.DeraParams;
import dev.trimtab.decoding.strategy.genarm.GenArmParams;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models of different precisions in one request: an int4 base with an fp32 ARM (GenARM) and an fp16
 * aligned policy with that base as reference (DeRa), decoded side by side in one scheduler.
 */
class MixedPrecisionTest {
    private static final int TOKENS = 6;

    @TempDir
    Path directory;

    @Test
    @DisplayName(
            "GenARM over an int4 base with an fp32 ARM and DeRa with an fp16 aligned model mix each model's own output")
    void mixedPrecisionRequests() throws Exception {
        DecoderSpec spec = DecoderSpec.gpt2(2, 32, 4, TinyModels.demoVocabSize() + 3, 64);
        try (LanguageModel base = LanguageModel.load(
                        TinyModels.languageModel(
                                directory.resolve("base"), 31, spec, precision(WeightPrecision.Format.INT4)),
                        SessionSettings.DEFAULT);
                LanguageModel aligned = LanguageModel.load(
                        TinyModels.languageModel(
                                directory.resolve("aligned"), 32, spec, precision(WeightPrecision.Format.FP16)),
                        SessionSettings.DEFAULT);
                DecoderModel arm = DecoderModel.load(
                        TinyModels.languageModel(directory.resolve("arm"), 33, spec), SessionSettings.DEFAULT)) {
            AlignmentModels models = AlignmentModels.of("base", base)
                    .withDecoder(ModelKind.ARM, "arm", arm, Optional.empty())
                    .withDecoder(ModelKind.ALIGNED, "aligned", aligned.decoder(), Optional.of(aligned.tokenizer()));
            long[] prompt = base.tokenizer().encode("The film was");
            double alpha = 0.8;
            double lambda = 1.5;
            RecordingListener genarm = new RecordingListener();
            RecordingListener dera = new RecordingListener();
            try (Scheduler scheduler = new Scheduler(models, SchedulerSettings.DEFAULT)) {
                scheduler.submit(request(prompt, 5).withStrategy(GenArmParams.of("arm", alpha)), genarm);
                scheduler.submit(
                        request(prompt, 6).withStrategy(DeraParams.of(lambda).withAligned("aligned")), dera);
                while (scheduler.hasWork()) {
                    scheduler.runRound();
                }
            }
            assertThat(genarm.error).isNull();
            assertThat(dera.error).isNull();
            assertThat(genarm.tokens).hasSize(TOKENS);
            assertThat(dera.tokens).hasSize(TOKENS);
            for (int step = 0; step < TOKENS; step++) {
                long[] prefix = Independent.prefix(prompt, genarm.tokenIds(), step);
                float[] mixed = combine(
                        logProbabilities(Independent.logits(base.decoder(), prefix)),
                        logProbabilities(Independent.logits(arm, prefix)),
                        (b, a) -> (float) (b + alpha * a));
                assertThat(genarm.logprobs.get(step))
                        .as("GenARM step %d", step)
                        .isCloseTo(logProbabilities(mixed)[(int) genarm.tokenIds()[step]], within(1e-4));
            }
            for (int step = 0; step < TOKENS; step++) {
                long[] prefix = Independent.prefix(prompt, dera.tokenIds(), step);
                float[] mixed = combine(
                        Independent.logits(aligned.decoder(), prefix),
                        Independent.logits(base.decoder(), prefix),
                        (h, r) -> (float) (lambda * h + (1 - lambda) * r));
                assertThat(dera.logprobs.get(step))
                        .as("DeRa step %d", step)
                        .isCloseTo(logProbabilities(mixed)[(int) dera.tokenIds()[step]], within(1e-4));
            }
        }
    }

    private static DecodeRequest request(long[] prompt, long seed) {
        SamplingParams sampling =
                SamplingParams.defaults().withSeed(seed).withMaxTokens(TOKENS).withIgnoreEos(true);
        return new DecodeRequest(prompt, sampling, GenArmParams.of("arm", 0), false).withLogprobs(true);
    }

    private static ExportOptions precision(WeightPrecision.Format format) {
        return ExportOptions.DEFAULT.withPrecision(WeightPrecision.of(format));
    }

    private static float[] combine(float[] first, float[] second, BinaryOperator<Float> mix) {
        float[] mixed = new float[first.length];
        for (int v = 0; v < mixed.length; v++) {
            mixed[v] = mix.apply(first[v], second[v]);
        }
        return mixed;
    }

    private static float[] logProbabilities(float[] logits) {
        LogSoftmax.apply(logits, logits);
        return logits;
    }
}
