package dev.trimtab.decoding;

import java.util.Objects;
import java.util.Optional;

/**
 * A request the engine refuses, as data: what kind of mistake ({@link Code}), the request field it
 * concerns as the wire spells it ({@code alignment.weights.positive}, {@code top_p}, {@code prompt}),
 * and a message that names the field, the bad value, the rule and the fix. Thrown by parameter
 * records, by strategies' planning and by the scheduler's submission checks; a server maps the code
 * to its status without reading the message.
 */
public final class InvalidRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What kind of mistake the request made. */
    public enum Code {
        /** A field has the wrong type, is missing, or is out of its documented range. */
        INVALID_VALUE,
        /** A field names a model that is not served beside the base. */
        UNKNOWN_MODEL,
        /** A field names a served model of a kind the strategy does not accept there. */
        WRONG_MODEL_KIND,
        /** The prompt leaves no room to generate within a model's context. */
        CONTEXT_LENGTH_EXCEEDED,
        /** The request is valid but larger than this server's configured limits allow. */
        OVER_LIMIT
    }

    private final Code code;
    private final String field;

    /**
     * @param field the request field, as the wire spells it; null when the request as a whole is meant
     */
    public InvalidRequestException(Code code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** A value out of its rule: {@link Code#INVALID_VALUE}. */
    public static InvalidRequestException invalid(String field, String message) {
        return new InvalidRequestException(Code.INVALID_VALUE, field, message);
    }

    public Code code() {
        return code;
    }

    /** The field, as the wire spells it; empty when the request as a whole is meant. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
