package dev.trimtab.decoding.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.generate.FinishReason;
import dev.trimtab.decoding.generate.GenerationRequest;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.generate.Sequence;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.tokenizer.StreamingDetokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    @TempDir
    static Path directory;

    static LanguageModel model;
    static long[] prompt;

    @BeforeAll
    static void load() throws Exception {
        model = LanguageModel.load(TinyModels.languageModel(directory, 31), SessionSettings.DEFAULT);
        prompt = model.tokenizer().encode("The film was");
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    private static SamplingParams sampled(long seed) {
        return SamplingParams.defaults().withSeed(seed).withMaxTokens(20).withIgnoreEos(true);
    }

    @Test
    @DisplayName("the same seed and request give the same completion; another seed another one")
    void seededDeterminism() throws Exception {
        Generator generator = new Generator(model);
        Completion first = generator.generate(new GenerationRequest(prompt, sampled(5)), TokenListener.NONE);
        Completion again = generator.generate(new GenerationRequest(prompt, sampled(5)), TokenListener.NONE);
        Completion other = generator.generate(new GenerationRequest(prompt, sampled(6)), TokenListener.NONE);
        assertThat(again.tokenIds()).containsExactly(first.tokenIds());
        assertThat(other.tokenIds()).isNotEqualTo(first.tokenIds());
    }

    @Test
    @DisplayName("a request decodes the same alone and in a batch with others")
    void batchEqualsAlone() throws Exception {
        Generator generator = new Generator(model);
        GenerationRequest short1 = new GenerationRequest(prompt, sampled(1).withMaxTokens(3));
        GenerationRequest long1 =
                new GenerationRequest(model.tokenizer().encode("A much longer prompt here"), sampled(2));
        List<Completion> together = generator.generate(List.of(short1, long1), TokenListener.NONE);
        assertThat(together.get(0).tokenIds())
                .containsExactly(generator.generate(short1, TokenListener.NONE).tokenIds());
        assertThat(together.get(1).tokenIds())
                .containsExactly(generator.generate(long1, TokenListener.NONE).tokenIds());
    }

    @Test
    @DisplayName("max tokens ends a sequence with finish reason length, and streamed text equals the completion")
    void maxTokensAndStreaming() throws Exception {
        StringBuilder streamed = new StringBuilder();
        List<Long> tokens = new ArrayList<>();
        Completion completion = new Generator(model)
                .generate(new GenerationRequest(prompt, sampled(3).withMaxTokens(7)), (index, token, text) -> {
                    tokens.add(token);
                    streamed.append(text);
                });
        assertThat(completion.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(completion.completionTokens()).isEqualTo(7);
        assertThat(tokens).hasSize(7);
        assertThat(streamed).hasToString(completion.text());
        assertThat(completion.text()).isEqualTo(model.tokenizer().decode(completion.tokenIds()));
    }

    @Test
    @DisplayName("a stop sequence spanning tokens ends the text before it, with finish reason stop")
    void stopSequence() throws Exception {
        Generator generator = new Generator(model);
        Completion free =
                generator.generate(new GenerationRequest(prompt, sampled(4).withMaxTokens(30)), TokenListener.NONE);
        String text = free.text();
        String stop = text.substring(6, 9);
        int expectedEnd = text.indexOf(stop);
        StringBuilder streamed = new StringBuilder();
        Completion stopped = generator.generate(
                new GenerationRequest(prompt, sampled(4).withMaxTokens(30).withStop(List.of(stop))),
                (index, token, delta) -> streamed.append(delta));
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(stopped.text()).isEqualTo(text.substring(0, expectedEnd));
        assertThat(streamed).hasToString(stopped.text());
    }

    @Test
    @DisplayName("a sequence stops at an end-of-sequence token, which is not part of the completion")
    void endOfSequence() throws Exception {
        Generator generator = new Generator(model);
        SamplingParams params = sampled(8).withMaxTokens(12);
        long[] sampledTokens = generator
                .generate(new GenerationRequest(prompt, params), TokenListener.NONE)
                .tokenIds();
        int end = firstFreshIndex(sampledTokens);
        long eos = sampledTokens[end];
        Sequence sequence = new Sequence(
                new GenerationRequest(prompt, params.withIgnoreEos(false)),
                new StreamingDetokenizer(model.tokenizer(), prompt),
                Set.of(eos),
                12,
                model.decoder().vocabSize());
        for (int i = 0; i <= end && !sequence.finished(); i++) sequence.accept(sampledTokens[i]);
        Completion completion = sequence.completion();
        assertThat(completion.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(completion.tokenIds()).containsExactly(Arrays.copyOf(sampledTokens, end));
    }

    /** The first index, after the first, whose token did not occur before it. */
    private static int firstFreshIndex(long[] tokens) {
        for (int i = 1; i < tokens.length; i++) {
            final int index = i;
            if (Arrays.stream(tokens, 0, i).noneMatch(t -> t == tokens[index])) return i;
        }
        throw new IllegalStateException("sampling repeated one token only");
    }

    @Test
    @DisplayName("a prompt that fills the context is refused before any work")
    void promptFillingTheContext() {
        long[] full = new long[model.decoder().contextLength()];
        assertThatThrownBy(() ->
                        new Generator(model).generate(new GenerationRequest(full, sampled(1)), TokenListener.NONE))
                .hasMessageContaining("leaves no room to generate within the model's context of 64");
    }
}
