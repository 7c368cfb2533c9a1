package dev.trimtab.loadtest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<String> parse(String stream) {
        return parse(stream.getBytes(StandardCharsets.UTF_8), new int[0]);
    }

    /** Feeds the stream cut at the given byte offsets. */
    private static List<String> parse(byte[] stream, int[] cuts) {
        List<String> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(Arrays.copyOfRange(stream, from, cut));
            from = cut;
        }
        parser.feed(Arrays.copyOfRange(stream, from, stream.length));
        parser.end();
        return events;
    }

    @Test
    @DisplayName("Each blank-line-terminated event hands over its data")
    void events() {
        assertThat(parse("data: {\"a\":1}\n\ndata: [DONE]\n\n")).containsExactly("{\"a\":1}", "[DONE]");
    }

    @Test
    @DisplayName("The stream may be split anywhere, even inside a UTF-8 character, and parses the same")
    void splitAnywhere() {
        byte[] stream =
                "data: {\"text\":\"é€😀\"}\r\n\r\n: keep-alive\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        List<String> whole = parse(stream, new int[0]);
        assertThat(whole).containsExactly("{\"text\":\"é€😀\"}", "[DONE]");
        for (int a = 1; a < stream.length; a++) {
            for (int b = a; b < stream.length; b += 7) {
                assertThat(parse(stream, new int[] {a, b}))
                        .as("cut at %d and %d", a, b)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    @DisplayName("CRLF, LF and lone CR all end lines")
    void lineEndings() {
        assertThat(parse("data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n")).containsExactly("a", "b", "c", "d");
    }

    @Test
    @DisplayName("Multi-line data joins with newlines; one space after the colon is dropped, the rest kept")
    void multiLineData() {
        assertThat(parse("data: line one\ndata:line two\ndata:  indented\n\n"))
                .containsExactly("line one\nline two\n indented");
    }

    @Test
    @DisplayName("Comments, other fields and events without data are ignored")
    void ignored() {
        assertThat(parse(": ping\n\nevent: completion\nid: 7\nretry: 100\ndata: x\n\nevent: only\n\n"))
                .containsExactly("x");
    }

    @Test
    @DisplayName("A last event without its closing blank line is still delivered at the end of the stream")
    void unterminatedLastEvent() {
        assertThat(parse("data: a\n\ndata: [DONE]")).containsExactly("a", "[DONE]");
        assertThat(parse("data: a\n\ndata: [DONE]\n")).containsExactly("a", "[DONE]");
    }

    @Test
    @DisplayName("A runaway line longer than the limit is malformed, not an out-of-memory error")
    void runawayLine() {
        SseParser parser = new SseParser(event -> {});
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 5; i++) {
                        parser.feed(chunk);
                    }
                })
                .isInstanceOf(MalformedSseException.class)
                .hasMessageContaining("longer than " + SseParser.MAX_LINE_BYTES);
    }
}
