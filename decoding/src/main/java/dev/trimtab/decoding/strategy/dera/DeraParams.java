package dev.trimtab.decoding.strategy.dera;

import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.AuxiliaryModel;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.ParamChecks;
import dev.trimtab.decoding.strategy.ParamField;
import dev.trimtab.decoding.strategy.ParamValues;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.StepDecoder;
import dev.trimtab.decoding.strategy.StrategyDescriptor;
import dev.trimtab.decoding.strategy.StrategyPlan;
import java.util.List;
import java.util.Optional;

/**
 * DeRa, decoding-time realignment (Liu et al., 2024): the next token is drawn from {@code
 * softmax(λ·h_aligned + (1 − λ)·h_ref)} (the paper's logit-mixing approximation of the realigned
 * policy), h the two models' logits at the same prefix, the reference being the base; then the
 * request's temperature, top-k and top-p. λ = 0 is the reference (decoded as plain sampling, the
 * aligned policy not run), λ = 1 the aligned model, λ > 1 extrapolates beyond it. Wire name {@code dera}.
 *
 * @param lambda the realignment strength λ ({@code alignment.lambda}); any finite number; default 1
 * @param aligned the aligned policy ({@code alignment.aligned}), a model of kind {@link
 *     ModelKind#ALIGNED}; empty takes the base's only one
 */
public record DeraParams(double lambda, Optional<String> aligned) implements AlignmentStrategy {

    /** Default strength: 1.0, the aligned model itself. */
    public static final double DEFAULT_LAMBDA = 1.0;

    /** Wire name {@code dera}: {@code lambda}, {@code aligned}. */
    public static final StrategyDescriptor DESCRIPTOR = new StrategyDescriptor(
            "dera",
            "DeRa (Liu et al., 2024): the base's and an aligned policy's logits mixed, softmax(λ·aligned + (1 − λ)·base).",
            List.of(
                    ParamField.number(
                            "lambda",
                            "realignment strength λ: 0 the base, 1 the aligned policy, above 1 extrapolates",
                            DEFAULT_LAMBDA,
                            Double.NEGATIVE_INFINITY,
                            Double.POSITIVE_INFINITY),
                    ParamField.model("aligned", "the aligned policy; default: the only one served", ModelKind.ALIGNED)),
            DeraParams::fromValues);

    public DeraParams {
        new ParamChecks().finite("lambda", lambda).present("aligned", aligned).validate();
    }

    /** Strength {@code lambda}, the base's only aligned policy. */
    public static DeraParams of(double lambda) {
        return new DeraParams(lambda, Optional.empty());
    }

    /** The parameters a request gave. */
    public static DeraParams fromValues(ParamValues values) {
        return new DeraParams(values.number("lambda"), values.model("aligned"));
    }

    public DeraParams withAligned(String value) {
        return new DeraParams(lambda, Optional.of(value));
    }

    @Override
    public StrategyDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** The aligned policy's lane. */
    @Override
    public StrategyPlan plan(AlignmentModels models) {
        AuxiliaryModel model = models.decoder(ParamChecks.PREFIX + "aligned", aligned, ModelKind.ALIGNED);
        return new StrategyPlan(1, List.of(model), List.of());
    }

    /** λ = 0: the mixture is the base's logits exactly, so only the base runs. */
    @Override
    public boolean switchedOff() {
        return lambda == 0;
    }

    /** Its decoder samples from a full distribution: top alternatives come from it. */
    @Override
    public boolean topLogprobs() {
        return true;
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new DeraDecoder(context, lambda);
    }
}
