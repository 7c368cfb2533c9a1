package dev.trimtab.rewards.gold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GoldRewardsTest {
    @Test
    @DisplayName("the rewards are found by name and an unknown name lists the known ones")
    void byName() {
        assertThat(GoldRewards.names()).containsExactly("positivity", "conciseness");
        assertThat(GoldRewards.byName("positivity")).isInstanceOf(Positivity.class);
        assertThatThrownBy(() -> GoldRewards.byName("helpfulness"))
                .hasMessageContaining("unknown gold reward \"helpfulness\"")
                .hasMessageContaining("positivity, conciseness");
    }

    @Test
    @DisplayName("no word is both positive and negative, and negators carry no polarity")
    void lexiconIsConsistent() {
        assertThat(SentimentLexicon.POSITIVE).doesNotContainAnyElementsOf(SentimentLexicon.NEGATIVE);
        assertThat(SentimentLexicon.NEGATORS)
                .allSatisfy(word -> assertThat(SentimentLexicon.polarity(word)).isZero());
    }
}
