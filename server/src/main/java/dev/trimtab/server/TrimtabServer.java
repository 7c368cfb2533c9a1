package dev.trimtab.server;

import dev.trimtab.server.config.ModelEntry;
import dev.trimtab.server.config.ServerConfig;
import dev.trimtab.server.http.HttpApi;
import dev.trimtab.server.metrics.ServingMetrics;
import dev.trimtab.server.serving.ServedModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running server: HTTP on Vert.x event loops, one scheduler thread per base model. HTTP starts
 * first (so {@code /health} can say 503 while loading); the models load and warm up on a thread of
 * their own, then {@code /health} turns 200.
 */
public final class TrimtabServer implements AutoCloseable {
    /** How long shutdown waits for a model still loading (its warm-up runs native passes). */
    private static final Duration LOADER_WAIT = Duration.ofSeconds(60);
    /** How long open connections get to take their last events before HTTP closes them. */
    private static final Duration HTTP_CLOSE = Duration.ofSeconds(2);

    /** Loads and warms up one configured base model with its auxiliary models. */
    @FunctionalInterface
    public interface ModelLoader {
        ServedModel load(ModelEntry config, ServingMetrics metrics) throws Exception;
    }

    private final ServerConfig config;
    private final Vertx vertx;
    private final HttpServer http;
    private final HttpApi api;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Object shutdownLock = new Object();
    private volatile Thread loader;
    private boolean stopped;

    private TrimtabServer(ServerConfig config, Vertx vertx, HttpServer http, HttpApi api) {
        this.config = config;
        this.vertx = vertx;
        this.http = http;
        this.api = api;
    }

    /** Starts HTTP and begins loading the models. */
    public static TrimtabServer start(ServerConfig config, ModelLoader loader) throws Exception {
        ServingMetrics metrics = new ServingMetrics();
        HttpApi api = new HttpApi(config, metrics);
        Vertx vertx = Vertx.vertx();
        HttpServer http = api.serve(
                        vertx, new HttpServerOptions().setHost(config.host()).setPort(config.port()))
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        TrimtabServer server = new TrimtabServer(config, vertx, http, api);
        server.loader =
                Thread.ofPlatform().name("trimtab-model-loader").start(() -> server.loadModels(loader, metrics));
        return server;
    }

    /**
     * Loads the models in turn. A model that fails to load (a type or operator ONNX Runtime cannot
     * run, a file that breaks the contract) is left out with its error on standard error, and the
     * others serve; only when none loads does the server fail to become ready.
     */
    private void loadModels(ModelLoader loader, ServingMetrics metrics) {
        try {
            List<String> failures = new ArrayList<>();
            for (ModelEntry model : config.models()) {
                if (api.draining()) {
                    return; // shut down while loading: never ready
                }
                try {
                    api.add(loader.load(model, metrics));
                } catch (Exception e) {
                    String failure = "model '" + model.name() + "' is not served: " + e.getMessage();
                    failures.add(failure);
                    System.err.println("error: " + failure);
                }
            }
            if (failures.size() == config.models().size() && !failures.isEmpty()) {
                ready.completeExceptionally(new IllegalStateException(String.join("; ", failures)));
                return;
            }
            api.markReady();
            ready.complete(null);
        } catch (Exception | LinkageError e) {
            ready.completeExceptionally(e);
        }
    }

    /** Completes once every model serves; fails with the loading error. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public ServerConfig config() {
        return config;
    }

    public int port() {
        return http.actualPort();
    }

    /** {@link #shutdown(Duration, Duration)} without a delay: new requests are refused at once. */
    public void shutdown(Duration drain) throws InterruptedException {
        shutdown(Duration.ZERO, drain);
    }

    /**
     * Shuts down in the one order that never runs native code on released memory: {@code /health}
     * turns 503 while requests are still admitted for {@code delay} (a load balancer's time to see
     * it), then new requests are refused (503, draining), in-flight ones may finish for up to
     * {@code drain}, every scheduler thread stops (the requests left end with an error event), the
     * models' sessions close, and HTTP closes once the last events are written. Safe to call more
     * than once and from any thread; later calls wait for the first.
     */
    public void shutdown(Duration delay, Duration drain) throws InterruptedException {
        synchronized (shutdownLock) {
            if (stopped) {
                return;
            }
            api.markLeaving();
            Thread.sleep(delay);
            api.markDraining();
            awaitDrained(drain);
            loader.join(LOADER_WAIT);
            api.closeWorkers();
            api.models().values().forEach(ServedModel::close);
            closeHttp();
            stopped = true;
        }
    }

    private void awaitDrained(Duration drain) throws InterruptedException {
        long deadline = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < deadline && api.inFlight() > 0) {
            Thread.sleep(20);
        }
    }

    private void closeHttp() {
        try {
            http.shutdown(HTTP_CLOSE.toMillis(), TimeUnit.MILLISECONDS)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(HTTP_CLOSE.toSeconds() + 5, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("the HTTP server did not close cleanly", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ofSeconds(config.drainDelaySeconds()), Duration.ofSeconds(config.drainSeconds()));
    }
}
