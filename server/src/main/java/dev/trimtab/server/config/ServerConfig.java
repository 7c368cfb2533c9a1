package dev.trimtab.server.config;

import java.util.List;
import java.util.Set;

/**
 * The whole server configuration (a YAML file, see {@code configs/server.yaml}).
 *
 * @param host bind address (default {@code 127.0.0.1}: reachable from this machine only)
 * @param port TCP port (default 8000; 0 picks a free one)
 * @param bodyLimitBytes largest request body; larger ones get 413 (default 1 MiB)
 * @param apiKeys accepted Bearer keys; empty means no authentication (default empty)
 * @param drainSeconds on SIGTERM, how long in-flight requests may finish before they are
 *     cancelled (default 10)
 * @param drainDelaySeconds on SIGTERM, how long {@code /health} answers 503 while new requests
 *     are still admitted, before the server refuses them and the drain begins (default 0): the
 *     time a load balancer needs to see the 503 and stop sending, so that no request routed in
 *     that window is refused
 * @param connections timeouts and the cap on open connections
 * @param metricsPublic whether {@code /metrics} answers without an API key when keys are
 *     configured (default false: behind the keys like every route but {@code /health}); for a
 *     scraper on a private network
 * @param models the base models served, each with its auxiliary models
 */
public record ServerConfig(
        String host,
        int port,
        long bodyLimitBytes,
        Set<String> apiKeys,
        int drainSeconds,
        int drainDelaySeconds,
        ConnectionLimits connections,
        boolean metricsPublic,
        List<ModelEntry> models) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;
    public static final long DEFAULT_BODY_LIMIT = 1 << 20;
    public static final int DEFAULT_DRAIN_SECONDS = 10;
    public static final int DEFAULT_DRAIN_DELAY_SECONDS = 0;

    public ServerConfig {
        apiKeys = Set.copyOf(apiKeys);
        models = List.copyOf(models);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                host,
                newPort,
                bodyLimitBytes,
                apiKeys,
                drainSeconds,
                drainDelaySeconds,
                connections,
                metricsPublic,
                models);
    }

    public ServerConfig withDrainDelaySeconds(int newDrainDelaySeconds) {
        return new ServerConfig(
                host,
                port,
                bodyLimitBytes,
                apiKeys,
                drainSeconds,
                newDrainDelaySeconds,
                connections,
                metricsPublic,
                models);
    }
}
