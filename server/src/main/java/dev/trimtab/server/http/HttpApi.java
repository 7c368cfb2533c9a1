package dev.trimtab.server.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.config.ServerConfig;
import dev.trimtab.server.metrics.ServingMetrics;
import dev.trimtab.server.serving.ServedModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The routes of the server and the state they read: the served models and whether they are ready. */
public final class HttpApi {
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final ErrorBodies errors = new ErrorBodies(json);
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean leaving = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ServerConfig config;
    private final ApiKeys keys;
    private final ServingMetrics metrics;
    /** One per core, at least two: encoding is CPU work; 256 requests may wait for a worker. */
    private final PromptWorkers workers =
            new PromptWorkers(Math.max(2, Runtime.getRuntime().availableProcessors()), 256);

    public HttpApi(ServerConfig config, ServingMetrics metrics) {
        this.config = config;
        this.keys = new ApiKeys(config.apiKeys());
        this.metrics = metrics;
    }

    /** Makes a model servable. */
    public void add(ServedModel model) {
        models.put(model.name(), model);
    }

    /** Every configured model is loaded and warmed up: /health answers 200. */
    public void markReady() {
        ready.set(true);
    }

    /**
     * Shutting down soon: {@code /health} answers 503 {@code draining} while requests are still
     * admitted, so that a load balancer takes this replica out of its rotation before any request it
     * routes here is refused.
     */
    public void markLeaving() {
        leaving.set(true);
    }

    /** Shutting down: {@code /health} answers 503 and new requests get 503. */
    public void markDraining() {
        leaving.set(true);
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    /** Requests admitted and not yet answered, over every model. */
    public int inFlight() {
        return workers.inFlight()
                + models.values().stream().mapToInt(ServedModel::inFlight).sum();
    }

    /** Stops the prompt workers (after the drain: nothing is being prepared any more). */
    public void closeWorkers() {
        workers.close();
    }

    /**
     * An HTTP server (not yet listening) that routes to this API, with the configured connection
     * limits and timeouts.
     */
    public HttpServer serve(Vertx vertx, HttpServerOptions options) {
        ConnectionGuard guard = new ConnectionGuard(vertx, config.connections(), errors);
        // HTTP/1.1 only: with h2c on, a connection is known to the server only once it has sent
        // bytes, so a silent one could never be timed out
        return vertx.createHttpServer(new HttpServerOptions(options).setHttp2ClearTextEnabled(false))
                .connectionHandler(guard::onConnection)
                .requestHandler(guard.watching(router(vertx)));
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        CompletionsEndpoint completions = new CompletionsEndpoint(json, errors, this::model, workers);
        ClassifyEndpoint classify = new ClassifyEndpoint(json, errors, this::model, workers);
        router.get("/health").handler(this::health);
        playground(router);
        if (!config.metricsPublic()) {
            router.get("/metrics").handler(this::authenticate);
        }
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.route("/v1/*").handler(this::authenticate);
        router.route("/classify").handler(this::authenticate);
        router.get("/v1/models").handler(this::listModels);
        for (String posted : new String[] {"/v1/*", "/classify"}) {
            router.post(posted).handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
            router.post(posted).handler(this::admit);
        }
        router.post("/v1/completions").handler(completions::completions);
        router.post("/v1/chat/completions").handler(completions::chat);
        router.post("/v1/classify").handler(classify::classify);
        router.post("/classify").handler(classify::classify);
        allow(router, "POST", "/v1/completions", "/v1/chat/completions", "/v1/classify", "/classify");
        allow(router, "GET", "/v1/models", "/health", "/metrics");
        router.route()
                .last()
                .handler(ctx -> errors.send(
                        ctx.response(),
                        new ApiException(
                                404,
                                "invalid_request_error",
                                null,
                                "not_found",
                                "no route " + ctx.request().method() + " "
                                        + ctx.request().path())));
        router.route().failureHandler(this::failure);
        return router;
    }

    /**
     * The playground: static files from the classpath that talk to the public API only. The policy
     * keeps the page from loading or sending anything outside this server.
     */
    private static void playground(Router router) {
        router.get("/").handler(ctx -> redirect(ctx, "/playground/"));
        // a route's path matches with or without its trailing slash: only the bare one redirects
        router.get("/playground").handler(ctx -> {
            if (ctx.request().path().equals("/playground")) redirect(ctx, "/playground/");
            else ctx.next();
        });
        router.get("/playground/*").handler(ctx -> {
            ctx.response()
                    .putHeader(
                            "content-security-policy",
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'")
                    .putHeader("x-content-type-options", "nosniff");
            ctx.next();
        });
        router.get("/playground/*").handler(StaticHandler.create("playground").setCachingEnabled(false));
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(302).putHeader("location", location).end();
    }

    /** Any other method on these paths: 405 with {@code Allow}, in the OpenAI shape. */
    private void allow(Router router, String method, String... paths) {
        for (String path : paths) {
            router.route(path).handler(ctx -> {
                ctx.response().putHeader("allow", method);
                errors.send(
                        ctx.response(),
                        new ApiException(
                                405,
                                "invalid_request_error",
                                null,
                                "method_not_allowed",
                                ctx.request().method() + " is not allowed on " + path + "; use " + method));
            });
        }
    }

    private ServedModel model(String name) {
        ServedModel model = models.get(name);
        if (model == null) {
            throw ApiException.notFound(
                    "model",
                    "model \"" + ClientText.quote(name) + "\" does not exist; GET /v1/models lists "
                            + String.join(", ", models.keySet()));
        }
        return model;
    }

    private void health(RoutingContext ctx) {
        boolean up = ready.get() && !leaving.get();
        ctx.response()
                .setStatusCode(up ? 200 : 503)
                .putHeader("content-type", "application/json")
                .end(json.createObjectNode()
                        .put("status", up ? "ok" : leaving.get() ? "draining" : "loading")
                        .toString());
    }

    private void authenticate(RoutingContext ctx) {
        if (config.apiKeys().isEmpty()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("authorization");
        if (header != null
                && header.startsWith("Bearer ")
                && keys.accepts(header.substring(7).trim())) {
            ctx.next();
        } else {
            errors.send(ctx.response(), ErrorBodies.unauthorized());
        }
    }

    private void admit(RoutingContext ctx) {
        if (draining.get()) {
            errors.send(ctx.response(), ErrorBodies.draining());
        } else if (!ready.get()) {
            errors.send(ctx.response(), ErrorBodies.loading());
        } else {
            ctx.next();
        }
    }

    private void listModels(RoutingContext ctx) {
        ObjectNode body = json.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        models.values().forEach(model -> data.add(model.card()));
        ctx.response().putHeader("content-type", "application/json").end(body.toString());
    }

    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            errors.send(ctx.response(), ErrorBodies.tooLarge(config.bodyLimitBytes()));
        } else if (ctx.failure() instanceof ApiException api) {
            errors.send(ctx.response(), api);
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            errors.send(
                    ctx.response(),
                    new ApiException(
                            ctx.statusCode(),
                            "invalid_request_error",
                            null,
                            "bad_request",
                            "the request could not be read (HTTP " + ctx.statusCode() + ")"));
        } else {
            errors.send(
                    ctx.response(),
                    ErrorBodies.serverFault("internal error: "
                            + (ctx.failure() == null
                                    ? "HTTP " + ctx.statusCode()
                                    : ctx.failure().getClass().getSimpleName())));
        }
    }

    public Map<String, ServedModel> models() {
        return Map.copyOf(models);
    }
}
