package dev.trimtab.rewards.gold;

import java.util.Set;

/**
 * The words {@link Positivity} counts: positive and negative opinion words (adjectives, verbs and
 * nouns of the review domain) and the negators that flip them. All lowercase.
 */
public final class SentimentLexicon {
    /** Words that express a favourable opinion. */
    public static final Set<String> POSITIVE = Set.of(
            "superb",
            "brilliant",
            "wonderful",
            "gripping",
            "beautiful",
            "excellent",
            "charming",
            "moving",
            "delightful",
            "stunning",
            "clever",
            "great",
            "fantastic",
            "memorable",
            "sturdy",
            "reliable",
            "comfortable",
            "elegant",
            "quiet",
            "solid",
            "perfect",
            "impressive",
            "handy",
            "good",
            "lovely",
            "amazing",
            "enjoyable",
            "love",
            "loved",
            "enjoyed",
            "adored",
            "liked",
            "appreciated",
            "recommend",
            "recommended",
            "gem",
            "worth",
            "best",
            "happy",
            "pleased",
            "favourite",
            "fun");

    /** Words that express an unfavourable opinion. */
    public static final Set<String> NEGATIVE = Set.of(
            "dull",
            "boring",
            "awful",
            "clumsy",
            "weak",
            "predictable",
            "tedious",
            "messy",
            "bland",
            "forgettable",
            "terrible",
            "poor",
            "confusing",
            "disappointing",
            "flimsy",
            "noisy",
            "cheap",
            "broken",
            "useless",
            "fragile",
            "uncomfortable",
            "overpriced",
            "bad",
            "worst",
            "hated",
            "hate",
            "disliked",
            "regretted",
            "waste",
            "avoid",
            "disappointment",
            "annoying",
            "mess",
            "unhappy",
            "sadly",
            "horrible");

    /**
     * Words that flip the polarity of an opinion word up to {@value #NEGATION_WINDOW} words later in
     * the same clause ({@code "not dull"} is positive).
     */
    public static final Set<String> NEGATORS = Set.of(
            "not",
            "never",
            "no",
            "hardly",
            "isn't",
            "wasn't",
            "aren't",
            "weren't",
            "don't",
            "doesn't",
            "didn't",
            "can't",
            "couldn't",
            "won't",
            "wouldn't",
            "nothing");

    /** How many words after a negator it still flips. */
    public static final int NEGATION_WINDOW = 3;

    private SentimentLexicon() {}

    /** +1 for a positive word, -1 for a negative one, 0 otherwise. */
    public static int polarity(String word) {
        if (POSITIVE.contains(word)) {
            return 1;
        }
        return NEGATIVE.contains(word) ? -1 : 0;
    }
}
