package dev.trimtab.decoding.schedule;

import java.util.concurrent.atomic.AtomicBoolean;

/** A submitted request, for cancelling it from any thread (e.g. when its client disconnects). */
public final class RequestHandle {
    private final long id;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    RequestHandle(long id) {
        this.id = id;
    }

    /** The scheduler's number for the request, in submission order. */
    public long id() {
        return id;
    }

    /**
     * Cancels the request: its rows leave their lanes at the next round (their tensors freed with
     * them) and the listener's {@link DecodeListener#onCancel} is called. No effect once finished.
     */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    @Override
    public String toString() {
        return "RequestHandle[" + id + (cancelled() ? ", cancelled]" : "]");
    }
}
