package dev.trimtab.decoding.sampling;

import java.util.List;
import java.util.OptionalInt;

/**
 * Finds where generated text must end because a stop sequence appeared, and how much of its tail a
 * streaming server must hold back because it may be the start of one.
 *
 * <p>Each sequence is matched with Knuth–Morris–Pratt, so both questions cost O(searched text +
 * sequence length) per sequence, whatever the text. Immutable and thread-safe.
 */
public final class StopSequences {

    private static final StopSequences NONE = new StopSequences(new Pattern[0]);

    private final Pattern[] patterns;
    private final int maxLength;

    private StopSequences(Pattern[] patterns) {
        this.patterns = patterns;
        int longest = 0;
        for (Pattern pattern : patterns) {
            longest = Math.max(longest, pattern.text.length());
        }
        this.maxLength = longest;
    }

    /** The stop sequences {@code stops}, each non-empty; an empty list never matches. */
    public static StopSequences of(List<String> stops) {
        Pattern[] patterns = new Pattern[stops.size()];
        for (int i = 0; i < patterns.length; i++) {
            String stop = stops.get(i);
            if (stop == null || stop.isEmpty()) {
                throw new IllegalArgumentException("stop[" + i + "] must be a non-empty string, got " + stop);
            }
            patterns[i] = new Pattern(stop);
        }
        return patterns.length == 0 ? NONE : new StopSequences(patterns);
    }

    /** No stop sequences: never matches, holds nothing back. */
    public static StopSequences none() {
        return NONE;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("StopSequences[");
        for (int i = 0; i < patterns.length; i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(patterns[i].text).append('"');
        }
        return out.append(']').toString();
    }

    /** The length of the longest stop sequence, 0 when there is none. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * The index in {@code text} where the earliest stop sequence begins, among occurrences that end
     * at or after {@code searchFrom} (last char at index ≥ searchFrom). Occurrences may begin before
     * {@code searchFrom}, so one that straddles two tokens' texts is found. Callers pass the index
     * where the newly appended text begins, minus {@code maxLength() - 1} for good measure; a
     * negative {@code searchFrom} counts as 0.
     */
    public OptionalInt firstMatch(CharSequence text, int searchFrom) {
        if (searchFrom > text.length()) {
            throw new IllegalArgumentException(
                    "searchFrom must be at most text.length() " + text.length() + ", got " + searchFrom);
        }
        int earliest = Integer.MAX_VALUE;
        for (Pattern pattern : patterns) {
            earliest = Math.min(earliest, pattern.firstStart(text, Math.max(searchFrom, 0), earliest));
        }
        return earliest == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(earliest);
    }

    /**
     * The length of the longest suffix of {@code text} that is a proper prefix of some stop
     * sequence: chars a streaming server must not emit yet, as the next token may complete a stop.
     */
    public int holdBack(CharSequence text) {
        int longest = 0;
        for (Pattern pattern : patterns) {
            longest = Math.max(longest, pattern.longestPrefixAtEnd(text));
        }
        return longest;
    }

    /** One stop sequence with its KMP failure function. */
    private static final class Pattern {

        private final String text;
        /** {@code failure[q]}: length of the longest proper border of {@code text[0, q)}. */
        private final int[] failure;

        Pattern(String text) {
            this.text = text;
            this.failure = failureFunction(text);
        }

        private static int[] failureFunction(String s) {
            int[] failure = new int[s.length() + 1];
            int state = 0;
            for (int i = 1; i < s.length(); i++) {
                state = advance(s, failure, state, s.charAt(i));
                failure[i + 1] = state;
            }
            return failure;
        }

        /** The KMP automaton's next state; state {@code length} follows its border before reading. */
        private static int advance(String s, int[] failure, int state, char c) {
            if (state == s.length()) {
                state = failure[state];
            }
            while (state > 0 && s.charAt(state) != c) {
                state = failure[state];
            }
            return s.charAt(state) == c ? state + 1 : 0;
        }

        /** Start of the first occurrence ending at or after {@code from}, if it starts before {@code bound}. */
        int firstStart(CharSequence haystack, int from, int bound) {
            int m = text.length();
            int start = Math.max(0, from - m + 1);
            int state = 0;
            for (int i = start; i < haystack.length() && i - m + 1 < bound; i++) {
                state = advance(text, failure, state, haystack.charAt(i));
                if (state == m) {
                    return i - m + 1;
                }
            }
            return bound;
        }

        /** Length of the longest proper prefix of this sequence that ends {@code haystack}. */
        int longestPrefixAtEnd(CharSequence haystack) {
            int m = text.length();
            int state = 0;
            for (int i = Math.max(0, haystack.length() - m + 1); i < haystack.length(); i++) {
                state = advance(text, failure, state, haystack.charAt(i));
            }
            return state == m ? failure[m] : state;
        }
    }
}
