package dev.trimtab.decoding.engine;

import ai.onnxruntime.OrtException;
import java.util.List;

/**
 * One prompt prefilled a few columns at a time, so that a scheduler can spread a long prompt over
 * several rounds between its decode steps (chunked prefill, as Sarathi and vLLM schedule it). Each
 * {@link #advance} appends the next columns to the cache; once none remain, {@link #finish} hands
 * over a batch of one row whose {@link DecoderBatch#logits()} are the prompt's next-token logits,
 * as {@link DecoderBatch#prefill} would have returned. Not thread-safe.
 */
public final class ChunkedPrefill implements AutoCloseable {
    private final PrefillInputs inputs;
    private DecoderBatch batch;
    private int done;

    private ChunkedPrefill(PrefillInputs inputs, DecoderBatch batch) {
        this.inputs = inputs;
        this.batch = batch;
    }

    /** A prefill of {@code prompt} on {@code model} that has run no column yet. */
    public static ChunkedPrefill start(DecoderModel model, long[] prompt) throws OrtException {
        PrefillInputs inputs = PrefillInputs.of(List.of(prompt), model);
        return new ChunkedPrefill(inputs, DecoderBatch.unfilled(model, inputs));
    }

    /** Prompt tokens not yet in the cache. */
    public int remaining() {
        return inputs.length() - done;
    }

    /** Runs the next {@code min(tokens, remaining())} prompt tokens; returns how many ran. */
    public int advance(int tokens) throws OrtException {
        if (tokens < 1) {
            throw new IllegalArgumentException("a chunk needs at least one token, got " + tokens);
        }
        int end = Math.min(inputs.length(), done + tokens);
        int ran = end - done;
        batch().prefillColumns(inputs, done, end, DecoderBatch.PREFILL_LOGITS_BUDGET);
        done = end;
        return ran;
    }

    /** The prefilled batch, once every token has run; this prefill no longer owns it. */
    public DecoderBatch finish() {
        if (remaining() > 0) {
            throw new IllegalStateException(remaining() + " prompt tokens have not run yet");
        }
        DecoderBatch finished = batch();
        batch = null;
        return finished;
    }

    private DecoderBatch batch() {
        if (batch == null) {
            throw new IllegalStateException("the prefill was finished or closed");
        }
        return batch;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
