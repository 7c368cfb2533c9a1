package dev.trimtab.rewards.model;

import java.nio.file.Path;
import java.util.List;

/** The checks every reward model runs on the sequences it is asked to score. */
final class SequenceChecks {
    private SequenceChecks() {}

    /**
     * @throws IllegalArgumentException naming the first sequence that is empty, longer than the
     *     context, or holds an id outside the vocabulary
     */
    static void check(List<long[]> sequences, int vocab, int context, Path model) {
        for (int i = 0; i < sequences.size(); i++) {
            long[] sequence = sequences.get(i);
            if (sequence == null || sequence.length == 0) {
                throw new IllegalArgumentException("sequences[" + i + "] must hold at least one token id");
            }
            if (sequence.length > context) {
                throw new IllegalArgumentException("sequences[" + i + "] has " + sequence.length
                        + " tokens, more than the context of " + context + " of " + model);
            }
            for (int t = 0; t < sequence.length; t++) {
                if (sequence[t] < 0 || sequence[t] >= vocab) {
                    throw new IllegalArgumentException("sequences[" + i + "][" + t + "] must be a token id in [0, "
                            + vocab + ") of " + model + ", got " + sequence[t]);
                }
            }
        }
    }
}
