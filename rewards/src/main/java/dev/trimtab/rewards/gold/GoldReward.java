package dev.trimtab.rewards.gold;

/**
 * A reward computed by rules from the text alone: the ground truth that labels the demo task's
 * preference data (which completion of a pair is chosen) and that measures, afterwards, how well a
 * decoding strategy or an aligned policy did. Deterministic, cheap and thread-safe.
 */
public interface GoldReward {

    /** The reward's name in recipes, manifests and metrics, e.g. {@code positivity}. */
    String name();

    /**
     * The reward of {@code completion} as a continuation of {@code prompt}. Only the completion is
     * judged; the prompt is given for rewards that need its context.
     */
    double score(String prompt, String completion);
}
