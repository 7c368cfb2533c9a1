package dev.trimtab.server.chat;

/** A chat template that did not render, and whose fault that is. */
public final class ChatTemplateException extends Exception {
    /** Why a render failed. */
    public enum Code {
        /** The template called {@code raise_exception}: the conversation breaks the template's rules. */
        RAISED,
        /** The template could not be run: a construct or value the engine does not support. */
        UNSUPPORTED
    }

    private final Code code;

    ChatTemplateException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
