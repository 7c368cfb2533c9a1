package dev.trimtab.rewards.gold;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into lowercase words and clause boundaries, the units the gold rewards count. A word
 * is a run of letters, digits and apostrophes ({@code don't}, {@code 5}); a clause ends at any of
 * {@code . , ; : ! ?} or before the word {@code but}.
 */
final class Words {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+|[.,;:!?]");

    private Words() {}

    /** The words of {@code text}, lowercased, in order. */
    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        for (List<String> clause : clauses(text)) {
            words.addAll(clause);
        }
        return words;
    }

    /** The words of {@code text}, lowercased and grouped by clause. */
    static List<List<String>> clauses(String text) {
        List<List<String>> clauses = new ArrayList<>();
        List<String> current = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            String token = matcher.group();
            boolean punctuation = token.length() == 1 && ".,;:!?".contains(token);
            if (punctuation || token.equals("but")) {
                closeClause(clauses, current);
                current = new ArrayList<>();
            }
            if (!punctuation) {
                current.add(token);
            }
        }
        closeClause(clauses, current);
        return clauses;
    }

    private static void closeClause(List<List<String>> clauses, List<String> clause) {
        if (!clause.isEmpty()) {
            clauses.add(clause);
        }
    }
}
