package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.Violations;

/**
 * Collects the violations of a parameters record so that all of them are reported at once, in one
 * {@link dev.trimtab.decoding.InvalidRequestException} whose field is the first violation's and whose
 * message joins them with {@code "; "}. Field names are the request's, {@code alignment.*}.
 */
public final class ParamChecks {
    /** Prefix of every alignment field name. */
    public static final String PREFIX = "alignment.";

    private final Violations violations = new Violations();

    /** {@code alignment.<field>} must be in {@code [min, max]}. */
    public ParamChecks range(String field, int value, int min, int max) {
        violations.check(
                value >= min && value <= max,
                PREFIX + field,
                PREFIX + field + " must be in [" + min + ", " + max + "], got " + value);
        return this;
    }

    /** {@code alignment.<field>} must be a finite number (NaN and infinities are refused). */
    public ParamChecks finite(String field, double value) {
        violations.check(
                Double.isFinite(value), PREFIX + field, PREFIX + field + " must be a finite number, got " + value);
        return this;
    }

    /** {@code alignment.<field>} must be a finite number above 0. */
    public ParamChecks positive(String field, double value) {
        violations.check(
                Double.isFinite(value) && value > 0,
                PREFIX + field,
                PREFIX + field + " must be a finite number > 0, got " + value);
        return this;
    }

    /** {@code alignment.<field>} must not be null. */
    public ParamChecks present(String field, Object value) {
        violations.check(value != null, PREFIX + field, PREFIX + field + " must be given, got null");
        return this;
    }

    /** Adds {@code message} about {@code alignment.<field>} unless {@code ok}. */
    public ParamChecks require(boolean ok, String field, String message) {
        violations.check(ok, PREFIX + field, message);
        return this;
    }

    /** Throws every violation found, if any. */
    public void validate() {
        violations.throwIfAny();
    }
}
