package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.generate.Completion;
import java.util.ArrayList;
import java.util.List;

/**
 * A completion a strategy scored with a reward model.
 *
 * @param completion the candidate's text, tokens and finish reason
 * @param reward its reward
 */
public record Candidate(Completion completion, double reward) {

    /** A reward model's scores as the doubles {@link Choice} chooses among. */
    public static double[] scores(float[] rewards) {
        double[] scores = new double[rewards.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = rewards[i];
        }
        return scores;
    }

    /**
     * Streams candidate {@code chosen} (its recorded tokens reach the client) and finishes the
     * request with it; with every candidate and its score too when {@code returnAll}.
     */
    public static void finish(
            RequestContext context, List<RecordedSequence> candidates, double[] scores, int chosen, boolean returnAll) {
        candidates.get(chosen).replay();
        Completion completion = candidates.get(chosen).completion();
        if (returnAll) {
            List<Candidate> all = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                all.add(new Candidate(candidates.get(i).completion(), scores[i]));
            }
            context.finish(completion, all, chosen);
        } else {
            context.finish(completion, List.of(new Candidate(completion, scores[chosen])), 0);
        }
    }
}
