package dev.trimtab.server.config;

/**
 * What a connection may hold without doing its part; each limit ends it.
 *
 * @param headerTimeoutSeconds a new connection must have sent its first request's headers within
 *     this long, else it is closed (default 10)
 * @param bodyTimeoutSeconds a request's body must have arrived within this long of its headers,
 *     else 408 and the connection is closed (default 30)
 * @param idleTimeoutSeconds a kept-alive connection with no request in progress is closed after
 *     this long (default 60); a long generation is not idle
 * @param maxConnections connections open at once; beyond them new ones are closed at once (default
 *     1024)
 */
public record ConnectionLimits(
        int headerTimeoutSeconds, int bodyTimeoutSeconds, int idleTimeoutSeconds, int maxConnections) {
    public static final int DEFAULT_HEADER_TIMEOUT = 10;
    public static final int DEFAULT_BODY_TIMEOUT = 30;
    public static final int DEFAULT_IDLE_TIMEOUT = 60;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }
}
