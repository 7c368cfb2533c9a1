package dev.trimtab.decoding.strategy;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the violations of a parameters record so that all of them are reported at once, in one
 * {@link IllegalArgumentException} joined with {@code "; "}. Field names are the request's, {@code
 * alignment.*}, so that a server passes the message through to a 400.
 */
public final class ParamChecks {
    /** Prefix of every alignment field name. */
    public static final String PREFIX = "alignment.";

    private final List<String> errors = new ArrayList<>();

    /** {@code alignment.<field>} must be in {@code [min, max]}. */
    public ParamChecks range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            errors.add(PREFIX + field + " must be in [" + min + ", " + max + "], got " + value);
        }
        return this;
    }

    /** {@code alignment.<field>} must be a finite number (NaN and infinities are refused). */
    public ParamChecks finite(String field, double value) {
        if (!Double.isFinite(value)) {
            errors.add(PREFIX + field + " must be a finite number, got " + value);
        }
        return this;
    }

    /** {@code alignment.<field>} must be a finite number above 0. */
    public ParamChecks positive(String field, double value) {
        if (!(Double.isFinite(value) && value > 0)) {
            errors.add(PREFIX + field + " must be a finite number > 0, got " + value);
        }
        return this;
    }

    /** {@code alignment.<field>} must not be null. */
    public ParamChecks present(String field, Object value) {
        if (value == null) {
            errors.add(PREFIX + field + " must be given, got null");
        }
        return this;
    }

    /** Adds {@code message} (which names its field) unless {@code ok}. */
    public ParamChecks require(boolean ok, String message) {
        if (!ok) {
            errors.add(message);
        }
        return this;
    }

    /** Throws every violation found, if any. */
    public void validate() {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }
}
