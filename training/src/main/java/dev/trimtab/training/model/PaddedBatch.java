package dev.trimtab.training.model;

import ai.djl.ndarray.NDArray;
import dev.trimtab.training.data.TokenSequence;
import java.util.List;

/**
 * Sequences right-padded to a common length, as arrays of one step:
 *
 * <ul>
 *   <li>{@code ids}, {@code mask} {@code [batch, seq]} (int64; padding is id {@code pad}, mask 0);
 *   <li>{@code targets} {@code [batch, seq - 1, 1]}: the next token of each position;
 *   <li>{@code completion} {@code [batch, seq - 1]}: 1 where that next token belongs to the completion
 *       (the positions whose log-probabilities the objectives sum), 0 on prompt and padding;
 *   <li>{@code last} {@code [batch, 1]}: each row's last real position, where sequence scores pool.
 * </ul>
 *
 * @param tokens real (non-padding) tokens in the batch
 */
public record PaddedBatch(NDArray ids, NDArray mask, NDArray targets, NDArray completion, NDArray last, long tokens) {

    /** Pads {@code sequences} with {@code pad} into arrays of {@code step}. */
    public static PaddedBatch of(StepScope step, List<TokenSequence> sequences, long pad) {
        int rows = sequences.size();
        int length = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
        long[][] ids = new long[rows][length];
        long[][] mask = new long[rows][length];
        long[][] next = new long[rows][length - 1];
        float[][] completion = new float[rows][length - 1];
        long[][] last = new long[rows][1];
        long tokens = 0;
        for (int r = 0; r < rows; r++) {
            long[] row = sequences.get(r).ids();
            int prompt = sequences.get(r).promptLength();
            for (int t = 0; t < length; t++) {
                ids[r][t] = t < row.length ? row[t] : pad;
                mask[r][t] = t < row.length ? 1 : 0;
            }
            for (int t = 0; t + 1 < length; t++) {
                next[r][t] = ids[r][t + 1];
                completion[r][t] = t + 1 < row.length && t + 1 >= Math.max(prompt, 1) ? 1f : 0f;
            }
            last[r][0] = row.length - 1;
            tokens += row.length;
        }
        return new PaddedBatch(
                step.longs(ids),
                step.longs(mask),
                step.longs(next).expandDims(2),
                step.floats(completion),
                step.longs(last),
                tokens);
    }

    public int rows() {
        return Math.toIntExact(ids.getShape().get(0));
    }
}
