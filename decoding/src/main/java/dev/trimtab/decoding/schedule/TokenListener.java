package dev.trimtab.decoding.schedule;

/** Receives a sequence's text as it is decoded. */
@FunctionalInterface
public interface TokenListener {
    /** Ignores every event. */
    TokenListener NONE = (index, token, text) -> {};

    /**
     * Called once per generated token.
     *
     * @param index the request's index in its batch
     * @param token the generated token id
     * @param text text that became final with this token (possibly empty: an incomplete character
     *     or a possible start of a stop sequence is held back)
     */
    void onToken(int index, long token, String text);
}
