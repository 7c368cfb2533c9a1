package dev.trimtab.decoding.strategy.dera;

import dev.trimtab.decoding.schedule.AlignmentModels;
import dev.trimtab.decoding.schedule.AlignmentStrategy;
import dev.trimtab.decoding.schedule.RequestContext;
import dev.trimtab.decoding.schedule.StepDecoder;
import dev.trimtab.decoding.schedule.StrategyPlan;
import dev.trimtab.decoding.strategy.ParamChecks;
import java.util.List;
import java.util.Optional;

/**
 * DeRa, decoding-time realignment (Liu et al., 2024): the next token is drawn from {@code
 * softmax(λ·h_aligned + (1 − λ)·h_ref)} (the paper's logit-mixing approximation of the realigned
 * policy), h the two models' logits at the same prefix, the reference being the base; then the
 * request's temperature, top-k and top-p. λ = 0 is the reference, λ = 1 the aligned model, λ > 1
 * extrapolates beyond it. Wire name {@code dera}.
 *
 * @param lambda the realignment strength λ ({@code alignment.lambda}); any finite number; default 1
 * @param aligned the aligned policy ({@code alignment.aligned}); empty takes the base's only policy
 */
public record DeraParams(double lambda, Optional<String> aligned) implements AlignmentStrategy {

    /** Default strength: 1.0, the aligned model itself. */
    public static final double DEFAULT_LAMBDA = 1.0;

    public DeraParams {
        new ParamChecks().finite("lambda", lambda).present("aligned", aligned).validate();
    }

    /** Strength {@code lambda}, the base's only aligned policy. */
    public static DeraParams of(double lambda) {
        return new DeraParams(lambda, Optional.empty());
    }

    public DeraParams withAligned(String value) {
        return new DeraParams(lambda, Optional.of(value));
    }

    @Override
    public String name() {
        return "dera";
    }

    @Override
    public StrategyPlan plan(AlignmentModels models) {
        return new StrategyPlan(1, List.of(models.policy(ParamChecks.PREFIX + "aligned", aligned)), List.of());
    }

    @Override
    public StepDecoder start(RequestContext context) {
        return new DeraDecoder(context, lambda);
    }
}
