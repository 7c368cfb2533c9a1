package dev.trimtab.server.chat;

import java.time.Clock;
import java.util.Optional;

/** One render's clock (for {@code strftime_now}) and the message of a {@code raise_exception}, if any. */
final class RenderState {
    private final Clock clock;
    private String raised;

    RenderState(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }

    void raise(String message) {
        if (raised == null) raised = message;
    }

    Optional<String> raised() {
        return Optional.ofNullable(raised);
    }
}
