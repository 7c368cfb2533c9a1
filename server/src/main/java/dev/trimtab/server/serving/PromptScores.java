package dev.trimtab.server.serving;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TokenAlternative;
import dev.trimtab.decoding.sampling.TopLogprobs;
import dev.trimtab.server.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A prompt's tokens with their log-probabilities under the base model, for {@code echo} with
 * {@code logprobs}: token i's is {@code l[x_i] - logsumexp(l)} of the logits after tokens 0..i-1;
 * the first token's is NaN (nothing precedes it). One pass of the prompt alone with logits at every
 * position, on the calling prompt worker, apart from the scheduler's batched prefill.
 */
final class PromptScores {
    private PromptScores() {}

    static List<TokenLogprob> of(DecoderModel base, long[] prompt, int top, LongFunction<String> text) {
        List<TokenLogprob> entries = new ArrayList<>(prompt.length);
        entries.add(new TokenLogprob(prompt[0], text.apply(prompt[0]), Double.NaN, List.of(), true));
        try {
            DecoderBatch.everyPosition(base, prompt, (position, logits) -> {
                if (position + 1 < prompt.length) {
                    entries.add(entry(prompt[position + 1], logits, top, text));
                }
            });
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("prompt", e.getMessage());
        } catch (OrtException e) {
            throw new ApiException(
                    500, "server_error", null, "internal_error", "scoring the prompt failed: " + e.getMessage());
        }
        return List.copyOf(entries);
    }

    private static TokenLogprob entry(long token, float[] logits, int top, LongFunction<String> text) {
        double normalizer = LogSoftmax.logSumExp(logits);
        List<TokenLogprob.Alternative> alternatives = new ArrayList<>();
        for (TokenAlternative alternative : TopLogprobs.of(logits, normalizer, top)) {
            alternatives.add(new TokenLogprob.Alternative(text.apply(alternative.token()), alternative.logprob()));
        }
        return new TokenLogprob(token, text.apply(token), logits[(int) token] - normalizer, alternatives, true);
    }
}
