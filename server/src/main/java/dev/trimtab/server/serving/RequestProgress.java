package dev.trimtab.server.serving;

import dev.trimtab.decoding.sampling.TokenLogprobs;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.RequestHandle;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.metrics.ServingMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;

/**
 * One HTTP request's choices as they decode: forwards text (the prompt first when echoing) and
 * token log-probabilities to its observer, records the serving metrics, and sends the summary once
 * every choice has finished. Called only on the scheduler thread, but for {@link #cancelAll}.
 */
final class RequestProgress {
    private final String model;
    private final String strategy;
    private final CompletionObserver observer;
    private final ServingMetrics metrics;
    private final ServingMetrics.RequestTimers timers;
    private final ChoicePlan plan;
    private final BooleanSupplier shuttingDown;
    private final long arrival = System.nanoTime();
    private final long[] lastToken;
    private final boolean[] textSent;
    private final List<List<TokenLogprob>> unsent = new ArrayList<>();
    private final List<List<TokenLogprob>> logprobs = new ArrayList<>();
    private final List<TokenSpeller> spellers = new ArrayList<>();
    private final List<DecodeResult> results = new ArrayList<>();
    private volatile List<RequestHandle> handles = List.of();
    private boolean firstToken;
    private boolean started;
    private boolean ended;

    RequestProgress(
            String model,
            String strategy,
            CompletionObserver observer,
            ServingMetrics metrics,
            ChoicePlan plan,
            BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
        this.model = model;
        this.strategy = strategy;
        this.observer = observer;
        this.metrics = metrics;
        this.timers = metrics.requestTimers(model, strategy);
        this.plan = plan;
        this.lastToken = new long[plan.choices()];
        this.textSent = new boolean[plan.choices()];
        for (int i = 0; i < plan.choices(); i++) {
            unsent.add(new ArrayList<>(plan.echoedTokens().get(i)));
            logprobs.add(new ArrayList<>(plan.echoedTokens().get(i)));
            String echo = plan.echoes().get(i);
            long[] prompt = plan.prompts().get(i);
            plan.tokenizer()
                    .ifPresent(tokenizer ->
                            spellers.add(new TokenSpeller(tokenizer, prompt, echo.codePointCount(0, echo.length()))));
        }
    }

    void track(List<RequestHandle> submitted) {
        this.handles = List.copyOf(submitted);
    }

    /** Cancels every choice; any thread. */
    void cancelAll() {
        handles.forEach(RequestHandle::cancel);
    }

    void started() {
        if (!started) {
            started = true;
            timers.queueTime().record(Duration.ofNanos(System.nanoTime() - arrival));
        }
    }

    void token(int choice, long token, String text, TokenLogprobs scores) {
        long now = System.nanoTime();
        if (!firstToken) {
            firstToken = true;
            timers.timeToFirstToken().record(Duration.ofNanos(now - arrival));
        } else if (lastToken[choice] != 0) {
            timers.interTokenLatency().record(Duration.ofNanos(now - lastToken[choice]));
        }
        lastToken[choice] = now;
        if (plan.recordTokens()) {
            TokenLogprob entry = spellers.isEmpty()
                    ? TokenLogprob.idOnly(token)
                    : spellers.get(choice).next(token, scores.logprob(), scores.baseLogprob(), scores.top(), false);
            unsent.get(choice).add(entry);
            logprobs.get(choice).add(entry);
        }
        send(choice, text);
    }

    private void send(int choice, String text) {
        String withEcho = textSent[choice] ? text : plan.echoes().get(choice) + text;
        if (ended || (withEcho.isEmpty() && unsent.get(choice).isEmpty())) {
            return;
        }
        textSent[choice] = true;
        observer.onText(
                choice,
                withEcho,
                List.copyOf(unsent.get(choice)),
                plan.prompts().get(choice));
        unsent.get(choice).clear();
    }

    void finished(int choice, DecodeResult result) {
        if (ended) return;
        send(choice, "");
        results.add(result);
        OptionalDouble reward = result.chosen() < 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(result.candidates().get(result.chosen()).reward());
        observer.onChoiceFinished(
                choice,
                new ChoiceResult(
                        choice,
                        plan.echoes().get(choice) + result.completion().text(),
                        result.completion().finishReason().wireName(),
                        result.completion().completionTokens(),
                        reward,
                        plan.prompts().get(choice),
                        logprobs.get(choice)));
        if (results.size() == plan.choices()) {
            complete();
        }
    }

    private void complete() {
        ended = true;
        int completionTokens = results.stream()
                .mapToInt(r -> r.completion().completionTokens())
                .sum();
        results.forEach(r -> metrics.finished(
                model,
                strategy,
                r.completion().finishReason().wireName(),
                r.completion().promptTokens(),
                r.completion().completionTokens()));
        timers.endToEndLatency().record(Duration.ofNanos(System.nanoTime() - arrival));
        observer.onCompleted(
                new RequestSummary(plan.promptTokens(), completionTokens, AlignmentReport.of(strategy, results)));
    }

    /** Cancelled by its client, or by the server's shutdown once the drain time has passed. */
    void cancelled() {
        fail(
                shuttingDown.getAsBoolean()
                        ? new ApiException(
                                503,
                                "server_error",
                                null,
                                "server_shutdown",
                                "the server shut down before the request finished (its drain time passed)")
                        : new ApiException(499, "request_cancelled", null, "cancelled", "the request was cancelled"));
    }

    void failed(Exception error) {
        fail(error);
    }

    private void fail(Exception error) {
        if (ended) return;
        ended = true;
        cancelAll();
        observer.onFailed(error);
    }
}
