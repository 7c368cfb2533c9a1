package dev.trimtab.server.http;

import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.config.ConnectionLimits;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces {@link ConnectionLimits} on every connection: the cap on open connections, and the
 * header, body and idle timeouts. Each connection's state is checked by a timer on its own event
 * loop (a quarter of the shortest timeout apart, at most a second), so nothing here needs a lock;
 * a generation in progress is never idle, however long it runs.
 */
final class ConnectionGuard {
    private final Vertx vertx;
    private final ConnectionLimits limits;
    private final ErrorBodies errors;
    private final long tickMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    ConnectionGuard(Vertx vertx, ConnectionLimits limits, ErrorBodies errors) {
        this.vertx = vertx;
        this.limits = limits;
        this.errors = errors;
        int shortest = Math.min(
                limits.headerTimeoutSeconds(), Math.min(limits.bodyTimeoutSeconds(), limits.idleTimeoutSeconds()));
        this.tickMillis = Math.max(50, Math.min(1000, shortest * 250L));
    }

    /** For {@code HttpServer.connectionHandler}: counts the connection, closes it beyond the cap. */
    void onConnection(HttpConnection connection) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            connection.close();
            return;
        }
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        connection.closeHandler(v -> {
            open.decrementAndGet();
            watches.remove(connection);
            vertx.cancelTimer(watch.timer);
        });
    }

    /** Wraps the router: records each request on its connection's watch. */
    Handler<HttpServerRequest> watching(Handler<HttpServerRequest> router) {
        return request -> {
            Watch watch = watches.get(request.connection());
            if (watch != null) watch.request(request);
            router.handle(request);
        };
    }

    /** One connection's progress, read on its event loop. */
    private final class Watch {
        private final HttpConnection connection;
        private final long timer;
        private final long opened = System.nanoTime();
        private HttpServerRequest current;
        private long since = opened;
        private boolean sawEnd;

        Watch(HttpConnection connection) {
            this.connection = connection;
            this.timer = vertx.setPeriodic(tickMillis, id -> check());
        }

        void request(HttpServerRequest request) {
            current = request;
            since = System.nanoTime();
            sawEnd = false;
        }

        private void check() {
            long now = System.nanoTime();
            if (current == null) {
                closeAfter(now - opened, limits.headerTimeoutSeconds());
            } else if (!current.isEnded() && !current.response().ended()) {
                if (now - since > seconds(limits.bodyTimeoutSeconds())) bodyTimedOut();
            } else if (current.response().ended()) {
                if (!sawEnd) {
                    sawEnd = true;
                    since = now;
                }
                closeAfter(now - since, limits.idleTimeoutSeconds());
            }
        }

        private void closeAfter(long elapsed, int timeoutSeconds) {
            if (elapsed > seconds(timeoutSeconds)) connection.close();
        }

        private void bodyTimedOut() {
            errors.send(
                    current.response(),
                    new ApiException(
                            408,
                            "invalid_request_error",
                            null,
                            "request_timeout",
                            "the request body did not arrive within " + limits.bodyTimeoutSeconds() + " s"));
            connection.close();
        }

        private static long seconds(int seconds) {
            return seconds * 1_000_000_000L;
        }
    }
}
