package dev.trimtab.rewards.gold;

import java.util.List;

/**
 * How favourable a completion is, in {@code (-1, 1)}:
 *
 * <pre>
 * positivity = (P - N) / (P + N + 1)
 * </pre>
 *
 * where {@code P} and {@code N} count the positive and negative opinion words of {@link
 * SentimentLexicon}, a word counting for the other side when a negator precedes it by at most
 * {@value SentimentLexicon#NEGATION_WINDOW} words in the same clause. A text without opinion words
 * scores 0; more agreeing opinions score closer to ±1 ("superb" 0.5, "superb and moving" 0.67),
 * and mixed ones cancel out.
 */
public final class Positivity implements GoldReward {
    /** The reward's name: {@code positivity}. */
    public static final String NAME = "positivity";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(String prompt, String completion) {
        int positive = 0;
        int negative = 0;
        for (List<String> clause : Words.clauses(completion)) {
            int lastNegator = Integer.MIN_VALUE / 2;
            for (int i = 0; i < clause.size(); i++) {
                String word = clause.get(i);
                if (SentimentLexicon.NEGATORS.contains(word)) {
                    lastNegator = i;
                    continue;
                }
                int polarity = SentimentLexicon.polarity(word);
                if (i - lastNegator <= SentimentLexicon.NEGATION_WINDOW) {
                    polarity = -polarity;
                }
                positive += polarity > 0 ? 1 : 0;
                negative += polarity < 0 ? 1 : 0;
            }
        }
        return (double) (positive - negative) / (positive + negative + 1);
    }
}
