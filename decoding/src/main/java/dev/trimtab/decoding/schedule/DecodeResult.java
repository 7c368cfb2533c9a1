package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.generate.Completion;
import dev.trimtab.decoding.strategy.Candidate;
import java.util.List;

/**
 * A finished request.
 *
 * @param completion the returned text, its tokens and finish reason
 * @param strategy the strategy's wire name
 * @param candidates completions scored by a reward model (best-of-N: every candidate when asked,
 *     else the chosen one); empty for strategies that score no whole completion
 * @param chosen the index in {@code candidates} of the returned completion, or -1 when empty
 * @param accounting forward passes, tokens and time per model
 */
public record DecodeResult(
        Completion completion, String strategy, List<Candidate> candidates, int chosen, Accounting accounting) {

    public DecodeResult {
        candidates = List.copyOf(candidates);
        if (chosen < -1 || chosen >= candidates.size() || (chosen == -1) != candidates.isEmpty()) {
            throw new IllegalArgumentException(
                    "chosen must index the " + candidates.size() + " candidates (or be -1 with none), got " + chosen);
        }
    }
}
