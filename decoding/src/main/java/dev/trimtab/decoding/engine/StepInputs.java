package dev.trimtab.decoding.engine;

/**
 * The inputs of one forward pass, row-major.
 *
 * @param inputIds {@code [batch, seq]} new tokens
 * @param attentionMask {@code [batch, total]} 1 for real positions (past and new), 0 for padding
 * @param positionIds {@code [batch, seq]} position of each new token
 * @param batch rows
 * @param seq new tokens per row
 * @param total past plus new positions
 */
record StepInputs(long[] inputIds, long[] attentionMask, long[] positionIds, int batch, int seq, int total) {}
