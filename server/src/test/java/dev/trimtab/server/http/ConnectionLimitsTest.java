package dev.trimtab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.server.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header, body and idle timeouts and the connection cap, on raw sockets that misbehave. */
class ConnectionLimitsTest {
    private static final String REQUEST_LINE = "POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    @TempDir
    static Path directory;

    static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start(directory, """
                  header_timeout_seconds: 1
                  body_timeout_seconds: 1
                  idle_timeout_seconds: 2
                  max_connections: 40
                """, 4, 8);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("connections that send nothing are all closed after the header timeout")
    void silentConnections() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 30; i++) sockets.add(connect());
        int open = 0;
        for (Socket socket : sockets) {
            if (!closedWithin(socket, 3000)) open++;
            socket.close();
        }
        System.out.println("silent connections still open after the 1 s header timeout: " + open + " of 30");
        assertThat(open).isZero();
    }

    @Test
    @DisplayName("headers sent slowly and never finished: closed after the header timeout")
    void slowHeaders() throws Exception {
        try (Socket socket = connect()) {
            send(socket, REQUEST_LINE + "Content-Type: application/json\r\n");
            assertThat(closedWithin(socket, 3000)).isTrue();
        }
    }

    @Test
    @DisplayName("a body shorter than its Content-Length: 408 in the OpenAI shape, then closed")
    void shortBody() throws Exception {
        try (Socket socket = connect()) {
            send(socket, REQUEST_LINE + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");
            String answer = readAll(socket, 4000);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
        }
    }

    @Test
    @DisplayName("a chunked body never terminated: 408, then closed")
    void unterminatedChunkedBody() throws Exception {
        try (Socket socket = connect()) {
            send(
                    socket,
                    REQUEST_LINE
                            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mod\r\n");
            assertThat(readAll(socket, 4000)).startsWith("HTTP/1.1 408");
        }
    }

    @Test
    @DisplayName("a kept-alive connection is closed after the idle timeout, not before")
    void idleKeepAlive() throws Exception {
        try (Socket socket = connect()) {
            String body = "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 1}";
            send(
                    socket,
                    REQUEST_LINE + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                            + body);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            assertThat(in.read(buffer)).isPositive();
            long answered = System.nanoTime();
            assertThat(closedWithin(socket, 5000)).isTrue();
            assertThat((System.nanoTime() - answered) / 1e9).isBetween(1.5, 4.0);
        }
    }

    @Test
    @DisplayName("beyond max_connections a new connection is closed at once, and the server still answers")
    void connectionCap() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 40; i++) sockets.add(connect());
        Thread.sleep(200);
        try (Socket extra = connect()) {
            assertThat(closedWithin(extra, 500)).isTrue();
        }
        for (Socket socket : sockets) socket.close();
        Thread.sleep(200);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    private static Socket connect() throws IOException {
        return new Socket("127.0.0.1", server.server().port());
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Whether the server closes the connection within {@code millis} (reading and dropping what it sends). */
    private static boolean closedWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // an answer before the close is allowed
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private static String readAll(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            socket.getInputStream().transferTo(out);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open; got: " + out.toString(StandardCharsets.UTF_8), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
