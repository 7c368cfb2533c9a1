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
        HttpServer http = vertx.createHttpServer(
                        new HttpServerOptions().setHost(config.host()).setPort(config.port()))
                .requestHandler(api.router(vertx))
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        TrimtabServer server = new TrimtabServer(config, vertx, http, api);
        Thread.ofPlatform().name("trimtab-model-loader").start(() -> server.loadModels(loader, metrics));
        return server;
    }

    private void loadModels(ModelLoader loader, ServingMetrics metrics) {
        try {
            for (ModelEntry model : config.models()) {
                api.add(loader.load(model, metrics));
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

    /**
     * Stops taking requests, lets in-flight ones finish for up to {@code drain}, cancels the rest and
     * releases every model.
     */
    public void shutdown(Duration drain) throws InterruptedException {
        api.markDraining();
        long deadline = System.nanoTime() + drain.toNanos();
        while (System.nanoTime() < deadline && api.models().values().stream().anyMatch(m -> m.inFlight() > 0)) {
            Thread.sleep(20);
        }
        api.models().values().forEach(ServedModel::close);
        try {
            http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the HTTP server did not close cleanly", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ofSeconds(config.drainSeconds()));
    }
}
