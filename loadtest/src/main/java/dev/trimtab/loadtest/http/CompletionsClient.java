package dev.trimtab.loadtest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.loadtest.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Streams completions requests with the Vert.x HTTP client: non-blocking, so one event loop keeps thousands of
 * requests in flight and timestamps every chunk the moment it arrives, without a thread per request whose scheduling
 * would blur the timings.
 *
 * <p>Call {@link #send} only on the event loop this client's requests run on (the load step's context).
 */
public final class CompletionsClient implements AutoCloseable {

    /** The longest wait for a TCP connection before the request counts as a connection error. */
    private static final int MAX_CONNECT_TIMEOUT_MILLIS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final Target target;
    private final HttpClientAgent client;
    private final RequestOptions options;

    /** {@code maxConnections} should be the cap on requests in flight: HTTP/1.1 carries one stream per connection. */
    public CompletionsClient(Vertx vertx, Target target, int maxConnections) {
        this.vertx = vertx;
        this.target = target;
        int connectTimeout =
                (int) Math.min(MAX_CONNECT_TIMEOUT_MILLIS, target.timeout().toMillis());
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setKeepAlive(true)
                        .setConnectTimeout(connectTimeout)
                        .setSsl(target.ssl()),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
        this.options = requestOptions(target);
    }

    private static RequestOptions requestOptions(Target target) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.url().getHost())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.path())
                .putHeader("content-type", "application/json")
                .putHeader("accept", "text/event-stream");
        if (!target.apiKey().isEmpty()) {
            options.putHeader("authorization", "Bearer " + target.apiKey());
        }
        return options;
    }

    /** Sends {@code body} and hands the result to {@code onEnd} exactly once, on this event loop. */
    public void send(ObjectNode body, Consumer<StreamResult> onEnd) {
        new Exchange(vertx, target.timeout(), onEnd).start(client, new RequestOptions(options), encode(body));
    }

    private static Buffer encode(ObjectNode body) {
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the connections; requests still running end as connection errors. */
    public Future<Void> closeAsync() {
        return client.close();
    }

    @Override
    public void close() {
        closeAsync().await();
    }
}
