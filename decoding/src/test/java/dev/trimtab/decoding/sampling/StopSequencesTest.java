package dev.trimtab.decoding.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StopSequencesTest {

    @Test
    @DisplayName("finds a stop sequence that straddles the previous and the newly appended text")
    void straddlingMatch() {
        StopSequences stops = StopSequences.of(List.of("world", "\n\n"));
        StringBuilder text = new StringBuilder("Hello wor");
        int newStart = text.length();
        text.append("ld, bye");

        assertThat(stops.firstMatch(text, newStart - (stops.maxLength() - 1))).hasValue(6);
        assertThat(stops.firstMatch(text, newStart)).hasValue(6);
    }

    @Test
    @DisplayName("returns the earliest start among several stop sequences")
    void earliest() {
        StopSequences stops = StopSequences.of(List.of("xyz", "bc", "cx"));

        assertThat(stops.firstMatch("abcxyz", 0)).hasValue(1);
        assertThat(stops.firstMatch("abcxyz", 3)).hasValue(2);
        assertThat(stops.firstMatch("abcxyz", 4)).hasValue(3);
    }

    @Test
    @DisplayName("ignores occurrences that end before searchFrom and treats a negative searchFrom as 0")
    void searchFrom() {
        StopSequences stops = StopSequences.of(List.of("ab"));

        assertThat(stops.firstMatch("ab--ab", 2)).hasValue(4);
        assertThat(stops.firstMatch("ab--ab", 1)).hasValue(0);
        assertThat(stops.firstMatch("ab--", 2)).isEmpty();
        assertThat(stops.firstMatch("ab", -5)).hasValue(0);
        assertThat(stops.firstMatch("ab", 2)).isEmpty();
    }

    @Test
    @DisplayName("holds back the longest tail that could still grow into a stop sequence")
    void holdBack() {
        StopSequences stops = StopSequences.of(List.of("world", "aba", "</s>"));

        assertThat(stops.holdBack("Hello wo")).isEqualTo(2);
        assertThat(stops.holdBack("Hello </")).isEqualTo(2);
        assertThat(stops.holdBack("xab")).isEqualTo(2);
        assertThat(stops.holdBack("xaba")).isEqualTo(1); // "aba" is complete; its proper prefix "a" remains
        assertThat(stops.holdBack("Hello")).isZero();
        assertThat(stops.holdBack("")).isZero();
    }

    @Test
    @DisplayName("with no stop sequences nothing matches and nothing is held back")
    void none() {
        assertThat(StopSequences.of(List.of()).firstMatch("anything", 0)).isEmpty();
        assertThat(StopSequences.none().holdBack("anything")).isZero();
        assertThat(StopSequences.none().maxLength()).isZero();
    }

    @Test
    @DisplayName("agrees with a brute-force search on random texts over a two-letter alphabet")
    void agreesWithBruteForce() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            List<String> stopList = randomStops(random);
            String text = randomText(random, random.nextInt(0, 30));
            int from = random.nextInt(-3, text.length() + 1);
            StopSequences stops = StopSequences.of(stopList);

            assertThat(stops.firstMatch(text, from))
                    .as("%s in %s from %d", stopList, text, from)
                    .isEqualTo(bruteFirstMatch(stopList, text, from));
            assertThat(stops.holdBack(text)).as("%s in %s", stopList, text).isEqualTo(bruteHoldBack(stopList, text));
        }
    }

    @Test
    @DisplayName("rejects an empty stop sequence and a searchFrom past the end of the text")
    void rejects() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StopSequences.of(List.of("ok", "")))
                .withMessage("stop[1] must be a non-empty string, got ");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StopSequences.of(List.of("x")).firstMatch("abc", 4))
                .withMessage("searchFrom must be at most text.length() 3, got 4");
    }

    private static OptionalInt bruteFirstMatch(List<String> stops, String text, int from) {
        for (int start = 0; start < text.length(); start++) {
            for (String stop : stops) {
                if (text.startsWith(stop, start) && start + stop.length() - 1 >= from) {
                    return OptionalInt.of(start);
                }
            }
        }
        return OptionalInt.empty();
    }

    private static int bruteHoldBack(List<String> stops, String text) {
        int best = 0;
        for (String stop : stops) {
            for (int length = 1; length < stop.length() && length <= text.length(); length++) {
                if (text.endsWith(stop.substring(0, length))) {
                    best = Math.max(best, length);
                }
            }
        }
        return best;
    }

    private static List<String> randomStops(SplittableRandom random) {
        List<String> stops = new ArrayList<>();
        for (int i = random.nextInt(1, 4); i > 0; i--) {
            stops.add(randomText(random, random.nextInt(1, 6)));
        }
        return stops;
    }

    private static String randomText(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(random.nextBoolean() ? 'a' : 'b');
        }
        return text.toString();
    }
}
