package dev.trimtab.rewards.gold;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gold rewards by name: {@value Positivity#NAME} and {@value Conciseness#NAME}. */
public final class GoldRewards {
    private static final Map<String, GoldReward> BY_NAME = build();

    private GoldRewards() {}

    private static Map<String, GoldReward> build() {
        Map<String, GoldReward> rewards = new LinkedHashMap<>();
        for (GoldReward reward : List.<GoldReward>of(new Positivity(), new Conciseness())) {
            rewards.put(reward.name(), reward);
        }
        return rewards;
    }

    /** Every reward's name, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The reward called {@code name}; fails listing the known names otherwise. */
    public static GoldReward byName(String name) {
        GoldReward reward = BY_NAME.get(name);
        if (reward == null) {
            throw new IllegalArgumentException(
                    "unknown gold reward \"" + name + "\"; known rewards: " + String.join(", ", BY_NAME.keySet()));
        }
        return reward;
    }
}
