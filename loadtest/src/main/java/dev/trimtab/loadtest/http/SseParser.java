package dev.trimtab.loadtest.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental parser of a {@code text/event-stream} body (WHATWG HTML, "Server-sent events"), fed with network
 * buffers split anywhere, even inside a line or a UTF-8 character.
 *
 * <p>Lines end at CRLF, LF or CR. {@code data:} lines (one optional space after the colon is dropped) accumulate,
 * joined by LF, until a blank line dispatches them as one event; comments ({@code :...}) and the other fields
 * ({@code event}, {@code id}, {@code retry}) are ignored. Unlike the standard, {@link #end()} also dispatches a last
 * event that lacks its closing blank line, since some servers end with a bare {@code data: [DONE]}.
 */
public final class SseParser {

    /** Longest accepted line: far beyond any completions chunk, small enough to stop a runaway stream. */
    public static final int MAX_LINE_BYTES = 4 << 20;

    private final Consumer<String> onEvent;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean afterCr;

    /** {@code onEvent} receives each event's data. */
    public SseParser(Consumer<String> onEvent) {
        this.onEvent = onEvent;
    }

    /**
     * Parses the next bytes of the stream.
     *
     * @throws MalformedSseException if a line exceeds {@link #MAX_LINE_BYTES}
     */
    public void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (afterCr && b == '\n') {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                endLine();
            } else {
                appendToLine(b);
            }
        }
    }

    /** Ends the stream: a pending line and a pending event are dispatched. */
    public void end() {
        if (line.size() > 0) {
            endLine();
        }
        dispatch();
    }

    private void appendToLine(byte b) {
        if (line.size() >= MAX_LINE_BYTES) {
            throw new MalformedSseException("an event-stream line is longer than " + MAX_LINE_BYTES + " bytes");
        }
        line.write(b);
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            dispatch();
        } else if (!text.startsWith(":")) {
            field(text);
        }
    }

    private void field(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        if (!name.equals("data")) {
            return;
        }
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (hasData) {
            data.append('\n');
        }
        data.append(value.startsWith(" ") ? value.substring(1) : value);
        hasData = true;
    }

    private void dispatch() {
        if (hasData) {
            String event = data.toString();
            data.setLength(0);
            hasData = false;
            onEvent.accept(event);
        }
    }
}
