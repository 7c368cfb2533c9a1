package dev.trimtab.decoding.engine;

import java.util.List;

/**
 * Prompts padded to a common length, on the left (a concatenating cache) or on the right (a shared
 * cache, whose rows start at position 0), with their mask and positions (padding at position 0),
 * cut into column chunks for a chunked prefill.
 */
record PrefillInputs(long[] ids, long[] mask, long[] positions, int[] realLengths, int rows, int length) {

    /** The prompts of a batch of {@code model}: right-padded when its cache is shared. */
    static PrefillInputs of(List<long[]> prompts, DecoderModel model) {
        return of(prompts, model.inputVocabSize(), model.contextLength(), model.sharedCache());
    }

    static PrefillInputs of(List<long[]> prompts, int vocab, int context, boolean rightPadded) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prefill needs at least one prompt");
        }
        int length = 0;
        for (int r = 0; r < prompts.size(); r++) {
            long[] prompt = prompts.get(r);
            if (prompt.length == 0) {
                throw new IllegalArgumentException("prompt " + r + " must contain at least one token");
            }
            if (prompt.length > context) {
                throw new IllegalArgumentException("prompt " + r + " has " + prompt.length
                        + " tokens, more than the model's context of " + context);
            }
            for (long id : prompt) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException(
                            "prompt " + r + ": token id must be in [0, " + vocab + "), got " + id);
                }
            }
            length = Math.max(length, prompt.length);
        }
        return padded(prompts, length, rightPadded);
    }

    private static PrefillInputs padded(List<long[]> prompts, int length, boolean rightPadded) {
        int rows = prompts.size();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        int[] realLengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            long[] prompt = prompts.get(r);
            int offset = r * length + (rightPadded ? 0 : length - prompt.length);
            System.arraycopy(prompt, 0, ids, offset, prompt.length);
            java.util.Arrays.fill(mask, offset, offset + prompt.length, 1L);
            realLengths[r] = prompt.length;
        }
        return new PrefillInputs(ids, mask, MaskLayout.positions(mask, rows, length), realLengths, rows, length);
    }

    /** The pass over columns [start, end): their ids and positions, and the mask up to {@code end}. */
    StepInputs chunk(int start, int end) {
        int seq = end - start;
        long[] chunkIds = new long[rows * seq];
        long[] chunkPositions = new long[rows * seq];
        long[] chunkMask = new long[rows * end];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ids, r * length + start, chunkIds, r * seq, seq);
            System.arraycopy(positions, r * length + start, chunkPositions, r * seq, seq);
            System.arraycopy(mask, r * length, chunkMask, r * end, end);
        }
        return new StepInputs(chunkIds, chunkMask, chunkPositions, rows, seq, end);
    }
}
