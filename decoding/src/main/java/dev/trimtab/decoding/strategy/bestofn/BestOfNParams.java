package dev.trimtab.decoding.strategy.bestofn;

import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.ParamChecks;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.ParamValues;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Best-of-N: N samples decoded in one batch from one prefill of the prompt (its KV cache copied N
 * ways), scored together by a sequence reward model, the best returned. Soft best-of-N picks
 * candidate i with probability {@code exp(r_i/τ) / Σ_j exp(r_j/τ)} instead (soft best-of-n
 * sampling, Verdun et al. 2025). N = 1 is plain sampling with the request's seed, the reward model
 * not run. Wire name {@code best_of_n}.
 *
 * @param n candidates ({@code alignment.n}); in [1, 64]; default 4
 * @param rewardModel the sequence reward model ({@code alignment.reward_model}), a model of kind
 *     {@link ModelKind#REWARD_MODEL}; empty takes the base's only one
 * @param tau soft best-of-N's temperature ({@code alignment.tau}); finite and > 0; empty picks the
 *     argmax
 * @param returnAll return every candidate with its reward ({@code alignment.return_all}), not only
 *     the chosen one's
 */
public record BestOfNParams(int n, Optional<String> rewardModel, OptionalDouble tau, boolean returnAll)
        implements AlignmentStrategy {

    /** Most candidates: each is a row of the base's lane. */
    public static final int MAX_N = 64;
    /** Default candidates: 4. */
    public static final int DEFAULT_N = 4;

    /** Wire name {@code best_of_n}: {@code n}, {@code reward_model}, {@code tau}, {@code return_all}. */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "best_of_n",
            "Best-of-N: N samples from one prefill, ranked by a sequence reward model; soft best-of-N with τ.",
            List.of(
                    ParamField.integer("n", "candidates", DEFAULT_N, 1, MAX_N),
                    ParamField.model(
                            "reward_model", "the sequence reward model; default: the only one", ModelKind.REWARD_MODEL),
                    ParamField.optionalNumberAbove(
                            "tau", "soft best-of-N's temperature τ; absent: the best candidate", 0),
                    ParamField.flag("return_all", "return every candidate with its reward")),
            BestOfNParams::fromValues);

    public BestOfNParams {
        ParamChecks checks = new ParamChecks()
                .range("n", n, 1, MAX_N)
                .present("reward_model", rewardModel)
                .present("tau", tau);
        if (tau != null && tau.isPresent()) {
            checks.positive("tau", tau.getAsDouble());
        }
        checks.validate();
    }

    /** N candidates, the base's only reward model, argmax, the chosen candidate only. */
    public static BestOfNParams of(int n) {
        return new BestOfNParams(n, Optional.empty(), OptionalDouble.empty(), false);
    }

    /** The parameters a request gave. */
    public static BestOfNParams fromValues(ParamValues values) {
        return new BestOfNParams(
                values.integer("n"),
                values.model("reward_model"),
                values.optionalNumber("tau"),
                values.flag("return_all"));
    }

    public BestOfNParams withRewardModel(String value) {
        return new BestOfNParams(n, Optional.of(value), tau, returnAll);
    }

    public BestOfNParams withTau(double value) {
        return new BestOfNParams(n, rewardModel, OptionalDouble.of(value), returnAll);
    }

    public BestOfNParams withReturnAll(boolean value) {
        return new BestOfNParams(n, rewardModel, tau, value);
    }

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * N base rows and the reward model; with N = 1 the base alone (one candidate needs no ranking, so
     * the reward model is not run; its name is still checked).
     */
    @Override
    public StrategyPlan plan(AlignmentModels models) {
        NamedRewardModel model = models.rewardModel(ParamChecks.PREFIX + "reward_model", rewardModel);
        return new StrategyPlan(n, List.of(), List.of(model)).rowsSetBy(ParamChecks.PREFIX + "n");
    }

    /** One sample: nothing is ranked, so only the base runs. */
    @Override
    public boolean switchedOff() {
        return n == 1;
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new BestOfNDecoder(context, this);
    }
}
