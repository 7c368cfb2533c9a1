package dev.trimtab.server.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the Chrome DevTools protocol with the JDK's own WebSocket client:
 * one page, JavaScript evaluated in it. Nothing is downloaded; the browser is Debian's.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static Chromium start(Path binary, Path profile) throws Exception {
        Process process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,900",
                        "--remote-debugging-port=0",
                        "--user-data-dir=" + profile,
                        "about:blank"))
                .redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling("chromium.log").toFile())
                .start();
        try {
            int port = port(profile.resolve("DevToolsActivePort"), process);
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String page = null;
            for (JsonNode target : JSON.readTree(list)) {
                if (target.path("type").asText().equals("page"))
                    page = target.path("webSocketDebuggerUrl").asText();
            }
            if (page == null) throw new IllegalStateException("Chromium opened no page: " + list);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(page), listener)
                    .get(10, TimeUnit.SECONDS);
            Chromium chromium = new Chromium(process, socket);
            listener.owner = chromium;
            return chromium;
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static int port(Path file, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank())
                    return Integer.parseInt(lines.get(0).trim());
            }
            if (!process.isAlive()) throw new IllegalStateException("Chromium exited with " + process.exitValue());
            Thread.sleep(50);
        }
        throw new IllegalStateException("Chromium wrote no DevToolsActivePort within 30 s");
    }

    /** Sends a DevTools command and waits for its result. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
        return reply.path("result");
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its JSON value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call(
                "Runtime.evaluate",
                JSON.createObjectNode()
                        .put("expression", expression)
                        .put("awaitPromise", true)
                        .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Polls {@code condition} until it is true. */
    void await(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (eval("!!(" + condition + ")").asBoolean()) return;
            } catch (IllegalStateException pageNotReady) {
                // the page is still loading: its elements are not there yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not true within " + timeout + ": " + condition + "; page: "
                + eval("document.body.innerText").asText());
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    byte[] screenshot() throws Exception {
        String data = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"))
                .path("data")
                .asText();
        return java.util.Base64.getDecoder().decode(data);
    }

    private void receive(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer =
                        pending.remove(message.get("id").asInt());
                if (answer != null) answer.complete(message);
            }
        } catch (Exception e) {
            pending.values().forEach(answer -> answer.completeExceptionally(e));
        }
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }

    /** Gathers a message's fragments and hands whole messages to the browser's owner. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        private volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                if (owner != null) owner.receive(text);
            }
            socket.request(1);
            return null;
        }
    }
}
