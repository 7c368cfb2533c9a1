package dev.trimtab.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The serving metrics, named as vLLM names them so that existing dashboards work
 * ({@code vllm:time_to_first_token_seconds}, {@code vllm:num_requests_running}, ...), labelled by
 * {@code model_name} and {@code strategy}, plus Trimtab's reward-model calls and time.
 */
public final class ServingMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Running and waiting requests of one model, as gauges. */
    public void registerQueue(String model, Supplier<Number> running, Supplier<Number> waiting) {
        Gauge.builder("vllm:num_requests_running", running)
                .description("Requests decoding now")
                .tag("model_name", model)
                .strongReference(true)
                .register(registry);
        Gauge.builder("vllm:num_requests_waiting", waiting)
                .strongReference(true)
                .description("Requests waiting for rows")
                .tag("model_name", model)
                .register(registry);
    }

    /**
     * The latency timers of one model and strategy, looked up once per request rather than per
     * token.
     */
    public RequestTimers requestTimers(String model, String strategy) {
        return new RequestTimers(
                timer("vllm:time_to_first_token", "Time from arrival to the first token", model, strategy),
                timer("vllm:inter_token_latency", "Time between two tokens of a stream", model, strategy),
                timer("vllm:e2e_request_latency", "Time from arrival to the last token", model, strategy),
                timer("vllm:request_queue_time", "Time from arrival to the first step", model, strategy));
    }

    /** The latency timers a request records into. */
    public record RequestTimers(
            Timer timeToFirstToken, Timer interTokenLatency, Timer endToEndLatency, Timer queueTime) {}

    public void endToEndLatency(String model, String strategy, Duration duration) {
        timer("vllm:e2e_request_latency", "Time from arrival to the last token", model, strategy)
                .record(duration);
    }

    public void finished(String model, String strategy, String finishReason, int promptTokens, int generationTokens) {
        Tags tags = Tags.of("model_name", model, "strategy", strategy);
        Counter.builder("vllm:prompt_tokens")
                .description("Prompt tokens processed")
                .tags(tags)
                .register(registry)
                .increment(promptTokens);
        Counter.builder("vllm:generation_tokens")
                .description("Tokens generated")
                .tags(tags)
                .register(registry)
                .increment(generationTokens);
        Counter.builder("vllm:request_success")
                .description("Finished requests by finish reason")
                .tags(tags.and("finished_reason", finishReason))
                .register(registry)
                .increment();
    }

    /** One reward-model (or other auxiliary model) forward pass batch and its time. */
    public void rewardModelCall(String model, String rewardModel, Duration duration) {
        Timer.builder("trimtab.reward_model.calls")
                .description("Forward passes of reward and auxiliary models, and their time")
                .tags("model_name", model, "reward_model", rewardModel)
                .register(registry)
                .record(duration);
    }

    private Timer timer(String name, String description, String model, String strategy) {
        return Timer.builder(name)
                .description(description)
                .tags("model_name", model, "strategy", strategy)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }
}
