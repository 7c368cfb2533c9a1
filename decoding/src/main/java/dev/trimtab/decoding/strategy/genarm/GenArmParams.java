package dev.trimtab.decoding.strategy.genarm;

import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.AuxiliaryModel;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.ParamChecks;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GenARM, reward-guided generation with autoregressive reward models (Xu et al., 2025): the next
 * token is drawn from {@code log π_base(y) + Σ_i α_i·log π_ARM_i(y)}, renormalized (the paper's
 * token-level reward-guided sampling, one term per objective, α_i = 1/β_i), every model stepped
 * with its own KV cache; then the request's temperature, top-k and top-p. ARMs may be smaller than
 * the base (weak-to-strong); ids beyond the shared vocabulary are masked. Wire name {@code
 * genarm}.
 *
 * @param weights α per ARM name ({@code alignment.weights.<name>}), models of kind {@link
 *     ModelKind#ARM}; 1 to 8 entries, each finite
 */
public record GenArmParams(Map<String, Double> weights) implements AlignmentStrategy {

    /** Most ARMs one request may combine. */
    public static final int MAX_ARMS = 8;

    /** Wire name {@code genarm}: {@code weights}. */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "genarm",
            "GenARM (Xu et al., 2025): base log-probabilities plus Σ α_i·log π_ARM_i, one term per autoregressive"
                    + " reward model.",
            List.of(ParamField.modelWeights(
                    "weights", "α per autoregressive reward model, by name; each finite", ModelKind.ARM, MAX_ARMS)),
            values -> new GenArmParams(values.weights("weights")));

    public GenArmParams {
        ParamChecks checks = new ParamChecks().present("weights", weights);
        if (weights != null) {
            checks.require(
                    !weights.isEmpty() && weights.size() <= MAX_ARMS,
                    "weights",
                    ParamChecks.PREFIX + "weights must name 1 to " + MAX_ARMS + " autoregressive reward models, got "
                            + weights.size());
            weights.forEach((name, alpha) -> checks.finite("weights." + name, alpha == null ? Double.NaN : alpha));
        }
        checks.validate();
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** One ARM {@code name} with weight {@code alpha}. */
    public static GenArmParams of(String name, double alpha) {
        return new GenArmParams(Map.of(name, alpha));
    }

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * One lane per ARM of non-zero weight: an ARM weighted 0 adds nothing to the mixture, so it is not
     * run (its name is still checked).
     */
    @Override
    public StrategyPlan plan(AlignmentModels models) {
        List<AuxiliaryModel> arms = new ArrayList<>();
        weights.forEach((name, alpha) -> {
            AuxiliaryModel arm =
                    models.decoder(ParamChecks.PREFIX + "weights." + name, Optional.of(name), ModelKind.ARM);
            if (alpha != 0) {
                arms.add(arm);
            }
        });
        return new StrategyPlan(1, arms, List.of());
    }

    /** Its decoder samples from a full distribution: top alternatives come from it. */
    @Override
    public boolean topLogprobs() {
        return true;
    }

    /** Every weight 0: the mixture is the base's logits exactly, so only the base runs. */
    @Override
    public boolean switchedOff() {
        return weights.values().stream().allMatch(alpha -> alpha == 0);
    }

    @Override
    public StepDecoder start(RequestContext context) {
        double[] alphas = weights.values().stream()
                .mapToDouble(Double::doubleValue)
                .filter(alpha -> alpha != 0)
                .toArray();
        return new GenArmDecoder(context, alphas);
    }
}
