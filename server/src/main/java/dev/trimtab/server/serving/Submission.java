package dev.trimtab.server.serving;

/** A submitted request; cancelling frees its rows within one scheduler round. */
@FunctionalInterface
public interface Submission {
    void cancel();
}
