package dev.trimtab.decoding.generate;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.Logits;
import dev.trimtab.decoding.tokenizer.StreamingDetokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates completions for a batch of requests: one prefill for all prompts, then one batched step
 * per token, each row sampled with its own parameters; finished rows leave the batch between steps.
 */
public final class Generator {
    private final LanguageModel model;

    public Generator(LanguageModel model) {
        this.model = model;
    }

    /** Generates every request to completion; {@code listener} sees each token as it is sampled. */
    public List<Completion> generate(List<GenerationRequest> requests, TokenListener listener) throws OrtException {
        List<Sequence> sequences = new ArrayList<>(requests.size());
        List<long[]> prompts = new ArrayList<>(requests.size());
        for (GenerationRequest request : requests) {
            sequences.add(start(request));
            prompts.add(request.promptIds());
        }
        try (DecoderBatch batch = DecoderBatch.prefill(model.decoder(), prompts)) {
            decode(batch, sequences, listener);
        }
        return sequences.stream().map(Sequence::completion).toList();
    }

    /** Generates one request to completion. */
    public Completion generate(GenerationRequest request, TokenListener listener) throws OrtException {
        return generate(List.of(request), listener).get(0);
    }

    private Sequence start(GenerationRequest request) {
        int context = model.decoder().contextLength();
        int room = context - request.promptLength();
        if (room < 1) {
            throw new IllegalArgumentException("prompt has " + request.promptLength()
                    + " tokens, which leaves no room to generate within the model's context of " + context);
        }
        int limit = Math.min(request.params().maxTokens(), room);
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(model.tokenizer(), request.promptIds());
        return new Sequence(
                request,
                detokenizer,
                model.eosTokenIds(),
                limit,
                model.decoder().vocabSize());
    }

    private static void decode(DecoderBatch batch, List<Sequence> sequences, TokenListener listener)
            throws OrtException {
        int[] active = java.util.stream.IntStream.range(0, sequences.size()).toArray();
        while (true) {
            Logits logits = batch.logits();
            long[] next = new long[active.length];
            int[] keep = new int[active.length];
            int kept = 0;
            for (int r = 0; r < active.length; r++) {
                Sequence sequence = sequences.get(active[r]);
                next[r] = sequence.sample(logits, r);
                listener.onToken(active[r], next[r], sequence.accept(next[r]));
                if (!sequence.finished()) {
                    keep[kept++] = r;
                }
            }
            if (kept == 0) {
                return;
            }
            int[] rows = java.util.Arrays.copyOf(keep, kept);
            batch.retain(rows);
            long[] tokens = new long[kept];
            int[] stillActive = new int[kept];
            for (int i = 0; i < kept; i++) {
                tokens[i] = next[rows[i]];
                stillActive[i] = active[rows[i]];
            }
            active = stillActive;
            batch.step(tokens);
        }
    }
}
