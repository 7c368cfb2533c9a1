package dev.trimtab.server.http;

/** Client-sent text quoted in an error message, cut to a length that identifies it. */
final class ClientText {
    static final int MAX_QUOTED = 64;

    private ClientText() {}

    static String quote(String text) {
        return text.length() <= MAX_QUOTED
                ? text
                : text.substring(0, MAX_QUOTED) + "... (" + text.length() + " characters)";
    }
}
