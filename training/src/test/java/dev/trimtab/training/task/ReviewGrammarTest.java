package dev.trimtab.training.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.rewards.gold.Conciseness;
import dev.trimtab.rewards.gold.Positivity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReviewGrammarTest {
    private final Positivity positivity = new Positivity();

    private static List<Review> reviews(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> ReviewGrammar.review(random))
                .toList();
    }

    @Test
    @DisplayName("the same seed gives the same reviews")
    void seeded() {
        assertThat(reviews(5, 50)).isEqualTo(reviews(5, 50));
        assertThat(reviews(5, 50)).isNotEqualTo(reviews(6, 50));
    }

    @Test
    @DisplayName("prompts end without a space and completions start with one, as the server tokenizes them")
    void splitAtWordBoundary() {
        for (Review review : reviews(1, 500)) {
            assertThat(review.prompt()).matches("(Film|Product) review of .*:( \\S+){0,3}");
            assertThat(review.completion()).startsWith(" ").doesNotStartWith("  ");
        }
    }

    @Test
    @DisplayName("every opinion word of the grammar has the polarity the gold lexicon gives it")
    void agreesWithTheGoldLexicon() {
        for (Domain domain : Domain.ALL) {
            for (String adjective : domain.positive()) {
                assertThat(positivity.score("", " The plot was " + adjective + "."))
                        .as(adjective)
                        .isPositive();
                assertThat(positivity.score("", " The plot was not " + adjective + "."))
                        .as(adjective)
                        .isNegative();
            }
            for (String adjective : domain.negative()) {
                assertThat(positivity.score("", " The plot was " + adjective + "."))
                        .as(adjective)
                        .isNegative();
            }
            for (String sentence : domain.neutral()) {
                assertThat(positivity.score("", " " + sentence)).as(sentence).isZero();
            }
        }
    }

    @Test
    @DisplayName("reviews vary in sentiment and length, so both gold rewards have something to rank")
    void variety() {
        List<Review> reviews = reviews(2, 2000);
        Set<String> completions = new HashSet<>();
        double[] positivities = new double[reviews.size()];
        double[] concisenesses = new double[reviews.size()];
        for (int i = 0; i < reviews.size(); i++) {
            completions.add(reviews.get(i).completion());
            positivities[i] = positivity.score("", reviews.get(i).completion());
            concisenesses[i] = new Conciseness().score("", reviews.get(i).completion());
        }
        assertThat(completions).hasSizeGreaterThan(1600);
        assertThat(java.util.Arrays.stream(positivities).min().orElseThrow()).isLessThan(-0.6);
        assertThat(java.util.Arrays.stream(positivities).max().orElseThrow()).isGreaterThan(0.6);
        assertThat(java.util.Arrays.stream(concisenesses).min().orElseThrow()).isLessThan(0.2);
        assertThat(java.util.Arrays.stream(concisenesses).max().orElseThrow()).isGreaterThan(0.5);
    }

    @Test
    @DisplayName("a review's positivity follows its latent sentiment")
    void sentimentDrivesPositivity() {
        double warm = 0;
        double cold = 0;
        for (Review review : reviews(4, 2000)) {
            double score = positivity.score(review.prompt(), review.completion());
            if (review.sentiment() > 0.5) warm += score;
            if (review.sentiment() < -0.5) cold += score;
        }
        assertThat(warm).isGreaterThan(0);
        assertThat(cold).isLessThan(0);
    }
}
