package dev.trimtab.decoding.strategy.specrej;

import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.AuxiliaryModel;
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
import java.util.Locale;
import java.util.Optional;

/**
 * Speculative rejection (Sun et al., 2024, "Fast Best-of-N Decoding via Speculative Rejection"):
 * best-of-N whose low scorers stop early. N candidates start from one shared prefill; every {@code
 * decision_tokens} tokens the unfinished candidates are valued as partial sequences and only the
 * best {@code max(1, round((1 − α)·m))} of the m unfinished go on (α the rejection rate; the paper's
 * {@code keep_amount = round((1 − α)·len)}, here never below one so that some candidate finishes).
 * Finished candidates cost nothing more and are never rejected. When every candidate has finished or
 * been rejected, the survivors are scored by the sequence reward model and the best is returned, as
 * best-of-N. With α = 0 nothing is rejected and it decodes exactly as best-of-N. Wire name {@code
 * speculative_rejection}.
 *
 * <p>The partial value is, as the request names it ({@code alignment.partial}): the reward model on
 * the prefix (the paper's choice), a prefix scorer V(x, y≤t) stepped alongside the candidates, or
 * an autoregressive reward model's log-likelihood Σ log π_ARM(y_i | x, y&lt;i) of the prefix.
 *
 * @param n candidates at the start ({@code alignment.n}); in [1, 64]; default 16 (the paper starts
 *     from as many as memory holds)
 * @param rejectionRate α, the fraction of unfinished candidates stopped at each decision point
 *     ({@code alignment.rejection_rate}); in [0, 1]; default 0.7 (the paper's runs use 0.5 to 0.8)
 * @param decisionTokens tokens between decision points ({@code alignment.decision_tokens}); in [1,
 *     4096]; default 8 (the paper decides at 128 tokens of up to 1,024 to 8,000, or whenever memory
 *     fills; 8 is the same eighth of the demo's short completions)
 * @param partial what values the partial candidates ({@code alignment.partial}); default the reward
 *     model
 * @param rewardModel the sequence reward model that ranks the finished candidates ({@code
 *     alignment.reward_model}), and the partial ones with {@link Partial#REWARD_MODEL}; empty takes
 *     the base's only one
 * @param scorer the prefix scorer ({@code alignment.scorer}), used with {@link Partial#PREFIX_SCORER};
 *     empty takes the base's only one
 * @param arm the autoregressive reward model ({@code alignment.arm}), used with {@link Partial#ARM};
 *     empty takes the base's only one
 * @param returnAll return every surviving candidate with its reward ({@code alignment.return_all})
 * @param tree the tree variant ({@code alignment.tree}): the rejected candidates' rows go to children
 *     of the kept ones, which share their parent's KV cache (a row fork) and sample on with seeds of
 *     their own, so that N candidates stay alive (as TreeBoN, Qiu et al., 2024, grows children from
 *     its best partial candidates); the compute stays best-of-N's, spent on the better prefixes
 */
public record SpeculativeRejectionParams(
        int n,
        double rejectionRate,
        int decisionTokens,
        Partial partial,
        Optional<String> rewardModel,
        Optional<String> scorer,
        Optional<String> arm,
        boolean returnAll,
        boolean tree)
        implements AlignmentStrategy {

    /** Most candidates: each is a row of the base's lane. */
    public static final int MAX_N = 64;
    /** Default candidates: 16. */
    public static final int DEFAULT_N = 16;
    /** Default rejection rate α: 0.7. */
    public static final double DEFAULT_REJECTION_RATE = 0.7;
    /** Default tokens between decision points: 8. */
    public static final int DEFAULT_DECISION_TOKENS = 8;
    /** Most tokens between decision points. */
    public static final int MAX_DECISION_TOKENS = 4096;

    /**
     * Wire name {@code speculative_rejection}: {@code n}, {@code rejection_rate}, {@code
     * decision_tokens}, {@code partial}, {@code reward_model}, {@code scorer}, {@code arm}, {@code
     * return_all}, {@code tree}.
     */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "speculative_rejection",
            "Speculative rejection (Sun et al., 2024): best-of-N whose lowest-valued partial candidates stop at"
                    + " decision points.",
            List.of(
                    ParamField.integer("n", "candidates at the start", DEFAULT_N, 1, MAX_N),
                    ParamField.number(
                            "rejection_rate",
                            "fraction α of the unfinished candidates stopped at each decision point",
                            DEFAULT_REJECTION_RATE,
                            0,
                            1),
                    ParamField.integer(
                            "decision_tokens",
                            "tokens between decision points",
                            DEFAULT_DECISION_TOKENS,
                            1,
                            MAX_DECISION_TOKENS),
                    ParamField.choice(
                            "partial",
                            "what values partial candidates: the reward model on the prefix, a prefix scorer, or an"
                                    + " ARM's log-likelihood",
                            Partial.REWARD_MODEL.wireName(),
                            List.of(
                                    Partial.REWARD_MODEL.wireName(),
                                    Partial.PREFIX_SCORER.wireName(),
                                    Partial.ARM.wireName())),
                    ParamField.model(
                            "reward_model",
                            "the sequence reward model that ranks the finished candidates; default: the only one",
                            ModelKind.REWARD_MODEL),
                    ParamField.optionalModel(
                            "scorer",
                            "the prefix scorer, with partial prefix_scorer; default: the only one",
                            ModelKind.PREFIX_SCORER),
                    ParamField.optionalModel("arm", "the ARM, with partial arm; default: the only one", ModelKind.ARM),
                    ParamField.flag("return_all", "return every surviving candidate with its reward"),
                    ParamField.flag(
                            "tree", "the tree variant: children of the kept candidates take the rejected ones' rows")),
            SpeculativeRejectionParams::fromValues);

    /** What values a partial candidate at a decision point. */
    public enum Partial {
        /** The sequence reward model on the prompt and the candidate's tokens so far (the paper's). */
        REWARD_MODEL,
        /** A prefix scorer's value V(x, y≤t), its rows stepped alongside the candidates. */
        PREFIX_SCORER,
        /** An ARM's log-likelihood of the candidate's tokens so far, its rows stepped alongside. */
        ARM;

        static Partial of(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }

        /** The wire name: {@code reward_model}, {@code prefix_scorer} or {@code arm}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SpeculativeRejectionParams {
        new ParamChecks()
                .range("n", n, 1, MAX_N)
                .require(
                        rejectionRate >= 0 && rejectionRate <= 1,
                        "rejection_rate",
                        ParamChecks.PREFIX + "rejection_rate must be in [0, 1], got " + rejectionRate)
                .range("decision_tokens", decisionTokens, 1, MAX_DECISION_TOKENS)
                .present("partial", partial)
                .present("reward_model", rewardModel)
                .present("scorer", scorer)
                .present("arm", arm)
                .validate();
    }

    /** N candidates, the defaults otherwise: α 0.7, a decision every 8 tokens, the reward model on the prefix. */
    public static SpeculativeRejectionParams of(int n) {
        return new SpeculativeRejectionParams(
                n,
                DEFAULT_REJECTION_RATE,
                DEFAULT_DECISION_TOKENS,
                Partial.REWARD_MODEL,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                false);
    }

    /** The parameters a request gave. */
    public static SpeculativeRejectionParams fromValues(ParamValues values) {
        return new SpeculativeRejectionParams(
                values.integer("n"),
                values.number("rejection_rate"),
                values.integer("decision_tokens"),
                Partial.of(values.choice("partial")),
                values.model("reward_model"),
                values.model("scorer"),
                values.model("arm"),
                values.flag("return_all"),
                values.flag("tree"));
    }

    /** α and the tokens between decision points. */
    public SpeculativeRejectionParams withRejection(double rate, int tokens) {
        return new SpeculativeRejectionParams(n, rate, tokens, partial, rewardModel, scorer, arm, returnAll, tree);
    }

    public SpeculativeRejectionParams withPartial(Partial value) {
        return new SpeculativeRejectionParams(
                n, rejectionRate, decisionTokens, value, rewardModel, scorer, arm, returnAll, tree);
    }

    public SpeculativeRejectionParams withRewardModel(String value) {
        return new SpeculativeRejectionParams(
                n, rejectionRate, decisionTokens, partial, Optional.of(value), scorer, arm, returnAll, tree);
    }

    public SpeculativeRejectionParams withScorer(String value) {
        return new SpeculativeRejectionParams(
                n, rejectionRate, decisionTokens, partial, rewardModel, Optional.of(value), arm, returnAll, tree);
    }

    public SpeculativeRejectionParams withArm(String value) {
        return new SpeculativeRejectionParams(
                n, rejectionRate, decisionTokens, partial, rewardModel, scorer, Optional.of(value), returnAll, tree);
    }

    public SpeculativeRejectionParams withTree(boolean value) {
        return new SpeculativeRejectionParams(
                n, rejectionRate, decisionTokens, partial, rewardModel, scorer, arm, returnAll, value);
    }

    public SpeculativeRejectionParams withReturnAll(boolean value) {
        return new SpeculativeRejectionParams(
                n, rejectionRate, decisionTokens, partial, rewardModel, scorer, arm, value, tree);
    }

    /** Whether any candidate can be stopped: α > 0 and more than one candidate. */
    boolean rejects() {
        return rejectionRate > 0 && n > 1;
    }

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * The N base rows, the reward model, and the lane of the partial scorer when it has one; without
     * rejection, best-of-N's plan (nothing is valued before the end).
     */
    @Override
    public StrategyPlan plan(AlignmentModels models) {
        List<NamedRewardModel> rewardModels =
                List.of(models.rewardModel(ParamChecks.PREFIX + "reward_model", rewardModel));
        List<AuxiliaryModel> lanes = !rejects() || partial == Partial.REWARD_MODEL
                ? List.of()
                : List.of(
                        partial == Partial.ARM
                                ? models.decoder(ParamChecks.PREFIX + "arm", arm, ModelKind.ARM)
                                : models.decoder(ParamChecks.PREFIX + "scorer", scorer, ModelKind.PREFIX_SCORER));
        return new StrategyPlan(n, lanes, rewardModels).rowsSetBy(ParamChecks.PREFIX + "n");
    }

    /** N = 1: one candidate is neither rejected nor ranked, so only the base runs. */
    @Override
    public boolean switchedOff() {
        return n == 1;
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new SpeculativeRejectionDecoder(context, this);
    }
}
