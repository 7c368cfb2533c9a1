package dev.trimtab.server.serving;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.sampling.TopLogprobs;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.server.api.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt's tokens with their log-probabilities under the base model, for {@code echo} with
 * {@code logprobs}: token i's is {@code l[x_i] - logsumexp(l)} of the logits after tokens 0..i-1;
 * the first token's is NaN (nothing precedes it). One pass of the prompt alone with logits at every
 * position, on the calling prompt worker, apart from the scheduler's batched prefill. The tokens'
 * strings concatenate to the prompt's decoded text and their offsets start at 0.
 */
final class PromptScores {
    private PromptScores() {}

    static List<TokenLogprob> of(DecoderModel base, long[] prompt, int top, TextTokenizer tokenizer) {
        TokenSpeller speller = new TokenSpeller(tokenizer, new long[0], 0);
        List<TokenLogprob> entries = new ArrayList<>(prompt.length);
        entries.add(speller.next(prompt[0], Double.NaN, Double.NaN, List.of(), true));
        try {
            DecoderBatch.everyPosition(base, prompt, (position, logits) -> {
                if (position + 1 < prompt.length) {
                    entries.add(entry(speller, prompt[position + 1], logits, top));
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

    /** A prompt token scored by the base: its log-probability is the base's, twice. */
    private static TokenLogprob entry(TokenSpeller speller, long token, float[] logits, int top) {
        double normalizer = LogSoftmax.logSumExp(logits);
        double logprob = logits[(int) token] - normalizer;
        return speller.next(token, logprob, logprob, TopLogprobs.of(logits, normalizer, top), true);
    }
}
