package dev.trimtab.loadtest;

import java.net.URI;
import java.time.Duration;

/**
 * The server under test.
 *
 * @param url its base URL, {@code http://host:port} or {@code https://host:port}, optionally with a path prefix
 * @param endpoint the completions path appended to the URL, normally {@code /v1/completions}
 * @param model the {@code "model"} field of every request
 * @param apiKey sent as {@code Authorization: Bearer ...}; empty for none
 * @param timeout the limit on one request, from its send to its last byte, and on its wait in the client's queue
 */
public record Target(URI url, String endpoint, String model, String apiKey, Duration timeout) {

    /** The OpenAI completions path. */
    public static final String DEFAULT_ENDPOINT = "/v1/completions";

    /** Two minutes: generous for long generations, short enough to notice a hung server. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Target {
        if (url == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("url must be http://HOST[:PORT] or https://HOST[:PORT], got " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "url must not have a query or fragment (put the path in endpoint), got " + url);
        }
        if (endpoint == null || !endpoint.startsWith("/")) {
            throw new IllegalArgumentException(
                    "endpoint must be a path starting with /, e.g. " + DEFAULT_ENDPOINT + ", got " + endpoint);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be a non-empty name, got '" + model + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be a duration > 0, got " + timeout);
        }
        apiKey = apiKey == null ? "" : apiKey;
    }

    public static Target of(URI url, String model) {
        return new Target(url, DEFAULT_ENDPOINT, model, "", DEFAULT_TIMEOUT);
    }

    public boolean ssl() {
        return "https".equals(url.getScheme());
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : ssl() ? 443 : 80;
    }

    /** The request path: the URL's path prefix (without a trailing slash) and the endpoint. */
    public String path() {
        String prefix = url.getRawPath() == null ? "" : url.getRawPath();
        return (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix) + endpoint;
    }

    /** The full URL requests go to. */
    public String describe() {
        return url.getScheme() + "://" + url.getHost() + ":" + port() + path();
    }

    /** The target without its API key, for reports. */
    @Override
    public String toString() {
        return "Target[" + describe() + ", model=" + model + ", timeout=" + timeout + "]";
    }
}
