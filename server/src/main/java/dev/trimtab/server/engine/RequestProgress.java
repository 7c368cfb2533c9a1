package dev.trimtab.server.engine;

import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.RequestHandle;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.metrics.ServingMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One HTTP request's choices as they decode: forwards text to its observer (the prompt first when
 * echoing), records the serving metrics, and sends the summary once every choice has finished.
 * Called only on the scheduler thread.
 */
final class RequestProgress {
    private final String model;
    private final String strategy;
    private final CompletionObserver observer;
    private final ServingMetrics metrics;
    private final List<String> echoes;
    private final long arrival = System.nanoTime();
    private final long[] lastToken;
    private final boolean[] textSent;
    private final List<DecodeResult> results = new ArrayList<>();
    private final int promptTokens;
    private List<RequestHandle> handles = List.of();
    private boolean firstToken;
    private boolean started;
    private boolean ended;

    RequestProgress(
            String model,
            String strategy,
            CompletionObserver observer,
            ServingMetrics metrics,
            List<String> echoes,
            int promptTokens) {
        this.model = model;
        this.strategy = strategy;
        this.observer = observer;
        this.metrics = metrics;
        this.echoes = List.copyOf(echoes);
        this.promptTokens = promptTokens;
        this.lastToken = new long[echoes.size()];
        this.textSent = new boolean[echoes.size()];
    }

    void track(List<RequestHandle> submitted) {
        this.handles = List.copyOf(submitted);
    }

    void cancelAll() {
        handles.forEach(RequestHandle::cancel);
    }

    void started() {
        if (!started) {
            started = true;
            metrics.queueTime(model, strategy, Duration.ofNanos(System.nanoTime() - arrival));
        }
    }

    void token(int choice, String text) {
        long now = System.nanoTime();
        if (!firstToken) {
            firstToken = true;
            metrics.timeToFirstToken(model, strategy, Duration.ofNanos(now - arrival));
        } else if (lastToken[choice] != 0) {
            metrics.interTokenLatency(model, strategy, Duration.ofNanos(now - lastToken[choice]));
        }
        lastToken[choice] = now;
        send(choice, text);
    }

    private void send(int choice, String text) {
        String withEcho = textSent[choice] ? text : echoes.get(choice) + text;
        if (!withEcho.isEmpty() && !ended) {
            textSent[choice] = true;
            observer.onText(choice, withEcho);
        }
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
                        echoes.get(choice) + result.completion().text(),
                        result.completion().finishReason().wireName(),
                        result.completion().completionTokens(),
                        reward));
        if (results.size() == echoes.size()) {
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
        metrics.endToEndLatency(model, strategy, Duration.ofNanos(System.nanoTime() - arrival));
        observer.onCompleted(new RequestSummary(promptTokens, completionTokens, AlignmentReport.of(strategy, results)));
    }

    void cancelled() {
        fail(new ApiException(499, "request_cancelled", null, "cancelled", "the request was cancelled"));
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
