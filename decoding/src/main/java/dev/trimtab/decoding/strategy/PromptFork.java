package dev.trimtab.decoding.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Candidates that share one prefilled prompt (best-of-N, speculative rejection): each draws its
 * first token from the prompt row's logits, then the prompt row is copied once per candidate still
 * open, each copy fed that candidate's token.
 */
public final class PromptFork {

    /** A candidate that draws its first token from the shared prompt row, then goes on on a row of its own. */
    public interface Branch {
        /** Samples from {@code from}'s logits and records the token. */
        long draw(Row from);

        /** Whether it goes on after its draw. */
        boolean open();

        /** Its own row from now on, already fed its first token. */
        void continueOn(Row row);
    }

    private PromptFork() {}

    /** Draws every branch's first token from {@code prompt} and forks the prompt row to the open ones. */
    public static void fork(Row prompt, List<? extends Branch> branches) {
        List<Branch> open = new ArrayList<>();
        long[] firsts = new long[branches.size()];
        for (Branch branch : branches) {
            long token = branch.draw(prompt);
            if (branch.open()) {
                firsts[open.size()] = token;
                open.add(branch);
            }
        }
        List<Row> rows = prompt.fork(Arrays.copyOf(firsts, open.size()));
        for (int i = 0; i < open.size(); i++) {
            open.get(i).continueOn(rows.get(i));
        }
    }
}
