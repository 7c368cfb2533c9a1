package dev.trimtab.decoding.strategy.cd;

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
 * Controlled decoding (Mudgal et al., 2024) with a prefix scorer V: a score-head decoder stepped
 * with its cache, or a sequence reward model scoring whole prefixes (see {@link GuidedTopK}; a
 * block's K continuations in one batch at the block's end). Wire name {@code cd}.
 *
 * <ul>
 *   <li>Tokenwise: {@code π(z | x) ∝ π_base(z | x)·exp(λ·V(x, z))} over the base's top k (the
 *       paper's tokenwise sampling, the KL-regularized optimum restricted to the top k), the k
 *       prefixes scored in one batched pass; drawn with the request's temperature (temperature 0
 *       takes the argmax).
 *   <li>Blockwise: K continuations of M tokens sampled from the base, the one with the highest V
 *       kept, repeated (their best-of-K over blocks).
 * </ul>
 *
 * @param mode tokenwise or blockwise ({@code alignment.mode}); default tokenwise
 * @param scorer the prefix scorer ({@code alignment.scorer}), a model of kind {@link
 *     ModelKind#PREFIX_SCORER} or, failing that, {@link ModelKind#REWARD_MODEL}; empty takes the
 *     base's only prefix scorer, or its only sequence reward model when it serves no prefix scorer
 * @param lambda the scorer's strength λ, tokenwise ({@code alignment.lambda}); finite; default 1.0
 * @param k candidates per token, tokenwise ({@code alignment.k}); in [1, 64]; default 10
 * @param candidates continuations per block K, blockwise ({@code alignment.candidates}); in [1,
 *     64]; default 4
 * @param blockLength tokens per block M, blockwise ({@code alignment.block_length}); in [1, 256];
 *     default 8
 */
public record ControlledDecodingParams(
        Mode mode, Optional<String> scorer, double lambda, int k, int candidates, int blockLength)
        implements AlignmentStrategy {

    /** Default strength: 1.0. */
    public static final double DEFAULT_LAMBDA = 1.0;
    /** Default tokenwise candidates: 10. */
    public static final int DEFAULT_K = 10;
    /** Default blockwise continuations: 4. */
    public static final int DEFAULT_CANDIDATES = 4;
    /** Default block length: 8 tokens. */
    public static final int DEFAULT_BLOCK_LENGTH = 8;
    /** Most candidates (tokenwise) or continuations (blockwise): each is a row. */
    public static final int MAX_CANDIDATES = 64;
    /** Longest block. */
    public static final int MAX_BLOCK_LENGTH = 256;

    /** Wire name {@code cd}: {@code mode}, {@code scorer}, {@code lambda}, {@code k}, {@code candidates}, {@code block_length}. */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "cd",
            "Controlled decoding (Mudgal et al., 2024) with a prefix scorer V: tokenwise over the base's top k, or"
                    + " blockwise, the best of K sampled blocks.",
            List.of(
                    ParamField.choice(
                            "mode",
                            "tokenwise or blockwise",
                            Mode.TOKENWISE.wireName(),
                            List.of(Mode.TOKENWISE.wireName(), Mode.BLOCKWISE.wireName())),
                    ParamField.model(
                            "scorer",
                            "the prefix scorer (scored incrementally) or a sequence reward model (whole prefixes);"
                                    + " default: the only prefix scorer, else the only reward model",
                            ModelKind.PREFIX_SCORER,
                            ModelKind.REWARD_MODEL),
                    ParamField.number(
                            "lambda",
                            "the scorer's strength λ (tokenwise)",
                            DEFAULT_LAMBDA,
                            Double.NEGATIVE_INFINITY,
                            Double.POSITIVE_INFINITY),
                    ParamField.integer("k", "candidates per token (tokenwise)", DEFAULT_K, 1, MAX_CANDIDATES),
                    ParamField.integer(
                            "candidates",
                            "continuations per block K (blockwise)",
                            DEFAULT_CANDIDATES,
                            1,
                            MAX_CANDIDATES),
                    ParamField.integer(
                            "block_length",
                            "tokens per block M (blockwise)",
                            DEFAULT_BLOCK_LENGTH,
                            1,
                            MAX_BLOCK_LENGTH)),
            ControlledDecodingParams::fromValues);

    /** Which controlled decoding. */
    public enum Mode {
        TOKENWISE,
        BLOCKWISE;

        /** The mode a wire name means. */
        static Mode of(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }

        /** The wire name: {@code tokenwise} or {@code blockwise}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ControlledDecodingParams {
        new ParamChecks()
                .present("mode", mode)
                .present("scorer", scorer)
                .finite("lambda", lambda)
                .range("k", k, 1, MAX_CANDIDATES)
                .range("candidates", candidates, 1, MAX_CANDIDATES)
                .range("block_length", blockLength, 1, MAX_BLOCK_LENGTH)
                .validate();
    }

    /** Tokenwise, λ 1, k 10 (blockwise K 4, M 8), the base's only scorer. */
    public static ControlledDecodingParams defaults() {
        return new ControlledDecodingParams(
                Mode.TOKENWISE, Optional.empty(), DEFAULT_LAMBDA, DEFAULT_K, DEFAULT_CANDIDATES, DEFAULT_BLOCK_LENGTH);
    }

    /** The parameters a request gave. */
    public static ControlledDecodingParams fromValues(ParamValues values) {
        return new ControlledDecodingParams(
                Mode.of(values.choice("mode")),
                values.model("scorer"),
                values.number("lambda"),
                values.integer("k"),
                values.integer("candidates"),
                values.integer("block_length"));
    }

    /** Blockwise with K continuations of M tokens. */
    public static ControlledDecodingParams blockwise(int candidates, int blockLength) {
        return defaults().withMode(Mode.BLOCKWISE).withBlocks(candidates, blockLength);
    }

    public ControlledDecodingParams withMode(Mode value) {
        return new ControlledDecodingParams(value, scorer, lambda, k, candidates, blockLength);
    }

    public ControlledDecodingParams withScorer(String value) {
        return new ControlledDecodingParams(mode, Optional.of(value), lambda, k, candidates, blockLength);
    }

    public ControlledDecodingParams withLambda(double value) {
        return new ControlledDecodingParams(mode, scorer, value, k, candidates, blockLength);
    }

    public ControlledDecodingParams withK(int value) {
        return new ControlledDecodingParams(mode, scorer, lambda, value, candidates, blockLength);
    }

    public ControlledDecodingParams withBlocks(int newCandidates, int newBlockLength) {
        return new ControlledDecodingParams(mode, scorer, lambda, k, newCandidates, newBlockLength);
    }

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public StrategyPlan plan(AlignmentModels models) {
        String field = ParamChecks.PREFIX + "scorer";
        StrategyPlan plan = GuidedTopK.plan(models, field, scorer, ModelKind.PREFIX_SCORER, ModelKind.REWARD_MODEL);
        if (mode == Mode.TOKENWISE) {
            return plan;
        }
        return new StrategyPlan(candidates, plan.lanes(), plan.rewardModels())
                .rowsSetBy(ParamChecks.PREFIX + "candidates");
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return mode == Mode.BLOCKWISE ? new BlockwiseCdDecoder(context, this) : new TokenwiseCdDecoder(context, this);
    }
}
