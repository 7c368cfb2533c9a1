package dev.trimtab.loadtest.eval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Diversity and degeneration of completions, from their text. */
public final class TextMetrics {

    /** A run of this many identical non-space characters is a loop ("......", "!!!!!!"). */
    public static final int CHARACTER_RUN = 6;
    /** A word n-gram of up to this many words repeated back to back ... */
    public static final int LOOP_MAX_WORDS = 4;
    /** ... this many times in a row is a loop ("great great great", "I loved it. I loved it. I loved it."). */
    public static final int LOOP_REPEATS = 3;

    private static final Pattern CHARACTER_LOOP = Pattern.compile("(\\S)\\1{" + (CHARACTER_RUN - 1) + ",}");

    private TextMetrics() {}

    /**
     * Whether {@code text} runs into a repetition loop: {@value #CHARACTER_RUN} identical non-space characters in a
     * row, or a sequence of 1 to {@value #LOOP_MAX_WORDS} words that occurs {@value #LOOP_REPEATS} times back to
     * back (words split on white space, compared without case).
     */
    public static boolean degenerate(String text) {
        if (CHARACTER_LOOP.matcher(text).find()) return true;
        List<String> words = words(text);
        for (int size = 1; size <= LOOP_MAX_WORDS; size++) {
            for (int start = 0; start + size * LOOP_REPEATS <= words.size(); start++) {
                if (repeats(words, start, size)) return true;
            }
        }
        return false;
    }

    private static boolean repeats(List<String> words, int start, int size) {
        for (int copy = 1; copy < LOOP_REPEATS; copy++) {
            for (int i = 0; i < size; i++) {
                if (!words.get(start + i).equals(words.get(start + copy * size + i))) return false;
            }
        }
        return true;
    }

    /**
     * distinct-2 (Li et al., 2016): distinct word bigrams over all bigrams of all completions together (bigrams do
     * not cross completions); NaN when there are none.
     */
    public static double distinct2(List<String> texts) {
        Set<List<String>> distinct = new HashSet<>();
        long total = 0;
        for (String text : texts) {
            List<String> words = words(text);
            for (int i = 0; i + 1 < words.size(); i++) {
                distinct.add(List.of(words.get(i), words.get(i + 1)));
                total++;
            }
        }
        return total == 0 ? Double.NaN : (double) distinct.size() / total;
    }

    static List<String> words(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}
