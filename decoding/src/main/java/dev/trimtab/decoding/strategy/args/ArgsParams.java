package dev.trimtab.decoding.strategy.args;

import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.GuidedTopK;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.ParamChecks;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.ParamValues;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ARGS, alignment as reward-guided search (Khanov et al., 2024): at every step the base model's
 * top k tokens v are scored {@code s(v) = LM(v | x) + w·r([x, v])} (the paper's reward-guided
 * score), LM the logit after the request's processors and r a reward model's value of the prefix
 * ending in v (a score-head decoder stepped with its KV cache, or a sequence reward model scoring
 * the k whole prefixes: see {@link GuidedTopK}); the next token is the argmax (greedy) or drawn from the softmax of the k
 * scores (stochastic). Wire name {@code args}.
 *
 * @param k candidates per step ({@code alignment.k}); in [1, 64]; default 10
 * @param weight the reward's weight w ({@code alignment.weight}); any finite number; default 1.0
 * @param mode greedy or stochastic ({@code alignment.mode}); default greedy
 * @param rewardModel the reward model ({@code alignment.reward_model}), a model of kind {@link
 *     ModelKind#SCORER} or, failing that, {@link ModelKind#REWARD_MODEL}; empty takes the base's only
 *     scorer, or its only sequence reward model when it serves no scorer
 */
public record ArgsParams(int k, double weight, Mode mode, Optional<String> rewardModel) implements AlignmentStrategy {

    /** Default candidates per step: 10, as in the paper. */
    public static final int DEFAULT_K = 10;
    /** Default reward weight: 1.0, as in the paper. */
    public static final double DEFAULT_WEIGHT = 1.0;
    /** Most candidates per step: each one is a row of the reward model's lane. */
    public static final int MAX_K = 64;

    /** Wire name {@code args}: {@code k}, {@code weight}, {@code mode}, {@code reward_model}. */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "args",
            "ARGS (Khanov et al., 2024): the base's top k tokens scored logit + w·reward of the prefix, by a"
                    + " score-head or sequence reward model.",
            List.of(
                    ParamField.integer("k", "candidates per step", DEFAULT_K, 1, MAX_K),
                    ParamField.number(
                            "weight",
                            "the reward's weight w",
                            DEFAULT_WEIGHT,
                            Double.NEGATIVE_INFINITY,
                            Double.POSITIVE_INFINITY),
                    ParamField.choice(
                            "mode",
                            "greedy takes the best score; stochastic draws from their softmax",
                            Mode.GREEDY.wireName(),
                            List.of(Mode.GREEDY.wireName(), Mode.STOCHASTIC.wireName())),
                    ParamField.model(
                            "reward_model",
                            "a score-head reward model (scored incrementally) or a sequence reward model (whole"
                                    + " prefixes); default: the only scorer, else the only reward model",
                            ModelKind.SCORER,
                            ModelKind.REWARD_MODEL)),
            ArgsParams::fromValues);

    /** How the next token is taken from the k scores. */
    public enum Mode {
        GREEDY,
        STOCHASTIC;

        /** The mode a wire name means. */
        static Mode of(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }

        /** The wire name: {@code greedy} or {@code stochastic}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ArgsParams {
        new ParamChecks()
                .range("k", k, 1, MAX_K)
                .finite("weight", weight)
                .present("mode", mode)
                .present("reward_model", rewardModel)
                .validate();
    }

    /** k 10, w 1.0, greedy, the base's only reward model. */
    public static ArgsParams defaults() {
        return new ArgsParams(DEFAULT_K, DEFAULT_WEIGHT, Mode.GREEDY, Optional.empty());
    }

    /** The parameters a request gave. */
    public static ArgsParams fromValues(ParamValues values) {
        return new ArgsParams(
                values.integer("k"),
                values.number("weight"),
                Mode.of(values.choice("mode")),
                values.model("reward_model"));
    }

    public ArgsParams withK(int value) {
        return new ArgsParams(value, weight, mode, rewardModel);
    }

    public ArgsParams withWeight(double value) {
        return new ArgsParams(k, value, mode, rewardModel);
    }

    public ArgsParams withMode(Mode value) {
        return new ArgsParams(k, weight, value, rewardModel);
    }

    public ArgsParams withRewardModel(String value) {
        return new ArgsParams(k, weight, mode, Optional.of(value));
    }

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public StrategyPlan plan(AlignmentModels models) {
        return GuidedTopK.plan(
                models, ParamChecks.PREFIX + "reward_model", rewardModel, ModelKind.SCORER, ModelKind.REWARD_MODEL);
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new ArgsDecoder(context, this);
    }
}
