package dev.trimtab.decoding.strategy;

import java.util.List;

/**
 * What one request of a strategy needs: rows in the base lane (what admission control counts), the
 * auxiliary decoders it steps, and the sequence reward models it calls.
 *
 * @param baseRows rows the request holds in the base lane at most (best-of-N: N)
 * @param lanes auxiliary decoders, each stepped in its own lane
 * @param rewardModels sequence reward models
 * @param rowsField the request field that sets {@code baseRows} ({@code alignment.n}), named when
 *     the rows exceed what a server runs at once; {@code alignment} for strategies of one row
 */
public record StrategyPlan(
        int baseRows, List<AuxiliaryModel> lanes, List<NamedRewardModel> rewardModels, String rowsField) {

    /** A plan whose rows no single field sets. */
    public StrategyPlan(int baseRows, List<AuxiliaryModel> lanes, List<NamedRewardModel> rewardModels) {
        this(baseRows, lanes, rewardModels, "alignment");
    }

    public StrategyPlan {
        if (baseRows < 1) {
            throw new IllegalArgumentException("baseRows must be >= 1, got " + baseRows);
        }
        lanes = List.copyOf(lanes);
        rewardModels = List.copyOf(rewardModels);
    }

    /** This plan, its rows set by {@code field}. */
    public StrategyPlan rowsSetBy(String field) {
        return new StrategyPlan(baseRows, lanes, rewardModels, field);
    }

    /** The base alone, {@code rows} rows. */
    public static StrategyPlan baseOnly(int rows) {
        return new StrategyPlan(rows, List.of(), List.of());
    }

    /** Base ids every model of the plan shares with the base: strategies choose below it. */
    public int sharedVocab(int baseVocab) {
        int shared = baseVocab;
        for (AuxiliaryModel lane : lanes) {
            shared = Math.min(shared, lane.sharedVocab());
        }
        for (NamedRewardModel model : rewardModels) {
            shared = Math.min(shared, model.sharedVocab());
        }
        return shared;
    }
}
