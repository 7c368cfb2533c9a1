package dev.trimtab.rewards.gold;

import java.util.regex.Pattern;

/**
 * How briefly a completion makes its point, in {@code [0, 1]}:
 *
 * <pre>
 * conciseness = 0                                  when the completion has no words
 *             = c / (1 + words / 10)                otherwise
 * </pre>
 *
 * where {@code words} counts the words (runs of letters, digits and apostrophes) and {@code c} is 1
 * when the text ends a sentence ({@code .}, {@code !} or {@code ?}, closing quotes and spaces
 * aside) and 1/2 when it stops mid-sentence, so that cutting a text short is not concise. Ten
 * words score 0.5, thirty 0.25.
 */
public final class Conciseness implements GoldReward {
    /** The reward's name: {@code conciseness}. */
    public static final String NAME = "conciseness";

    /** The length, in words, at which a complete text scores 1/2. */
    public static final int HALF_SCORE_WORDS = 10;

    private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"')\\]]*\\s*$");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(String prompt, String completion) {
        int words = Words.of(completion).size();
        if (words == 0) {
            return 0;
        }
        double complete = SENTENCE_END.matcher(completion).find() ? 1.0 : 0.5;
        return complete / (1.0 + (double) words / HALF_SCORE_WORDS);
    }
}
