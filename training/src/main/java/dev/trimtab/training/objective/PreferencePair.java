package dev.trimtab.training.objective;

import dev.trimtab.training.data.TokenSequence;
import java.util.Objects;

/**
 * A tokenized preference: the same prompt continued by a preferred and a dispreferred completion.
 *
 * @param chosen prompt and preferred completion
 * @param rejected prompt and dispreferred completion
 * @param referenceChosen {@code log pi_ref(chosen | prompt)} for DPO, {@code NaN} when unused
 * @param referenceRejected {@code log pi_ref(rejected | prompt)} for DPO, {@code NaN} when unused
 */
public record PreferencePair(
        TokenSequence chosen, TokenSequence rejected, double referenceChosen, double referenceRejected) {

    public PreferencePair {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
    }

    /** A pair without reference log-probabilities. */
    public static PreferencePair of(TokenSequence chosen, TokenSequence rejected) {
        return new PreferencePair(chosen, rejected, Double.NaN, Double.NaN);
    }

    public PreferencePair withReference(double logProbChosen, double logProbRejected) {
        return new PreferencePair(chosen, rejected, logProbChosen, logProbRejected);
    }
}
