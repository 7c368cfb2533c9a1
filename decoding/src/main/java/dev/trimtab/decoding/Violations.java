package dev.trimtab.decoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the broken rules of one record so that all of them are reported at once: one {@link
 * InvalidRequestException} whose field is the first violation's and whose message joins every
 * violation with {@code "; "}.
 */
public final class Violations {
    private final List<String> messages = new ArrayList<>();
    private String firstField;

    /** Records that {@code field} breaks a rule; {@code message} names the field, value and rule. */
    public Violations add(String field, String message) {
        if (firstField == null) {
            firstField = field;
        }
        messages.add(message);
        return this;
    }

    /** Records the violation unless {@code ok}. */
    public Violations check(boolean ok, String field, String message) {
        return ok ? this : add(field, message);
    }

    /** Throws every violation found, if any. */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw InvalidRequestException.invalid(firstField, String.join("; ", messages));
        }
    }
}
