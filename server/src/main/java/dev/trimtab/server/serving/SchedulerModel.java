package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.registry.StrategyRegistry;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.schedule.DecodeRequest;
import dev.trimtab.decoding.schedule.RequestHandle;
import dev.trimtab.decoding.schedule.Scheduler;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.ClassifyRequest;
import dev.trimtab.server.api.CompletionRequest;
import dev.trimtab.server.api.PromptInput;
import dev.trimtab.server.chat.ChatTemplate;
import dev.trimtab.server.metrics.ServingMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A base model served through its {@link Scheduler}: turns an API request into one decode request
 * per choice (prompts times n), applies admission control, and reports back through a
 * {@link RequestProgress}.
 */
final class SchedulerModel implements ServedModel {
    private final String name;
    private final LanguageModel base;
    private final AlignmentModels models;
    private final Scheduler scheduler;
    private final SchedulerThread thread;
    private final ChatTemplate chatTemplate;
    private final ServingMetrics metrics;
    private final int maxQueuedRequests;
    private final AutoCloseable resources;
    /** Guards submissions against {@link #close}: none may slip in once the scheduler stops. */
    private final Object lifecycle = new Object();

    private final PromptBound promptBound;
    private final RewardScoring scoring;

    private volatile boolean stopping;

    SchedulerModel(
            String name,
            AlignmentModels models,
            Scheduler scheduler,
            ChatTemplate chatTemplate,
            ServingMetrics metrics,
            int maxQueuedRequests,
            AutoCloseable resources) {
        this.name = name;
        this.base = models.base();
        this.models = models;
        this.scheduler = scheduler;
        this.chatTemplate = chatTemplate;
        this.metrics = metrics;
        this.maxQueuedRequests = maxQueuedRequests;
        this.resources = resources;
        this.promptBound = new PromptBound(
                base.decoder().config().contextLength(), base.tokenizer().longestTokenLength());
        this.scoring = RewardScoring.of(name, models, metrics);
        this.thread = new SchedulerThread(name, scheduler);
        metrics.registerQueue(name, scheduler::runningRequests, scheduler::waitingRequests);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Submission submit(CompletionRequest request, CompletionObserver observer) {
        AlignmentStrategy strategy = request.alignment();
        if (request.logprobs().orElse(0) > 0 && !strategy.topLogprobs()) {
            String field = request.kind() == CompletionRequest.Kind.CHAT ? "top_logprobs" : "logprobs";
            throw ApiException.invalid(
                    field,
                    "strategy '" + strategy.name() + "' chooses among candidates or replays a chosen one, so it"
                            + " returns only the sampled token's log-probability, not alternatives: set " + field
                            + " to 0 (got " + request.logprobs().get() + ") or use a strategy that samples from"
                            + " a full distribution");
        }
        if (request.choices() > maxQueuedRequests) {
            throw neverAdmitted(request);
        }
        List<long[]> prompts = request.prompts().stream().map(this::tokens).toList();
        if (scheduler.waitingRequests() + request.choices() > maxQueuedRequests) {
            throw new ApiException(
                    429,
                    "rate_limit_error",
                    null,
                    "queue_full",
                    "model '" + name + "' has " + scheduler.waitingRequests() + " requests waiting (limit "
                            + maxQueuedRequests + "); retry later");
        }
        Optional<TextTokenizer> tokenizer =
                request.logprobs().isPresent() ? Optional.of(base.tokenizer()) : Optional.empty();
        List<String> echoes = new ArrayList<>();
        List<long[]> choicePrompts = new ArrayList<>();
        List<List<TokenLogprob>> echoedTokens = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            String echo = request.echo() ? promptText(request.prompts().get(p), prompts.get(p)) : "";
            List<TokenLogprob> scored = request.echo() && tokenizer.isPresent()
                    ? PromptScores.of(
                            base.decoder(), prompts.get(p), request.logprobs().get(), tokenizer.get())
                    : List.of();
            for (int j = 0; j < request.n(); j++) {
                echoes.add(echo);
                choicePrompts.add(prompts.get(p));
                echoedTokens.add(scored);
            }
        }
        int promptTokens = prompts.stream().mapToInt(ids -> ids.length).sum() * request.n();
        if (request.scoreOnly()) {
            return scoreOnly(strategy, observer, echoes, choicePrompts, echoedTokens, promptTokens);
        }
        RequestProgress progress = new RequestProgress(
                name,
                strategy.name(),
                observer,
                metrics,
                new ChoicePlan(
                        echoes,
                        promptTokens,
                        tokenizer,
                        choicePrompts,
                        request.logprobs().isPresent() || request.returnTokenIds(),
                        echoedTokens),
                () -> stopping);
        synchronized (lifecycle) {
            if (stopping) {
                throw shuttingDown();
            }
            progress.track(submitChoices(request, strategy, prompts, progress));
        }
        return progress::cancelAll;
    }

    /**
     * Answers {@code max_tokens: 0} with {@code echo}: every choice is its prompt (with its scores,
     * computed already), no token generated, nothing queued.
     */
    private static Submission scoreOnly(
            AlignmentStrategy strategy,
            CompletionObserver observer,
            List<String> echoes,
            List<long[]> prompts,
            List<List<TokenLogprob>> scored,
            int promptTokens) {
        for (int choice = 0; choice < echoes.size(); choice++) {
            observer.onText(choice, echoes.get(choice), scored.get(choice), prompts.get(choice));
            observer.onChoiceFinished(
                    choice,
                    new ChoiceResult(
                            choice,
                            echoes.get(choice),
                            "length",
                            0,
                            OptionalDouble.empty(),
                            prompts.get(choice),
                            scored.get(choice)));
        }
        observer.onCompleted(new RequestSummary(promptTokens, 0, AlignmentReport.of(strategy.name(), List.of())));
        return () -> {};
    }

    private List<RequestHandle> submitChoices(
            CompletionRequest request, AlignmentStrategy strategy, List<long[]> prompts, RequestProgress progress) {
        List<RequestHandle> handles = new ArrayList<>();
        try {
            for (int p = 0; p < prompts.size(); p++) {
                for (int j = 0; j < request.n(); j++) {
                    DecodeRequest decode = new DecodeRequest(
                            prompts.get(p),
                            sampling(request, j),
                            strategy,
                            request.logprobs().isPresent(),
                            request.logprobs().orElse(0),
                            request.baseLogprobs());
                    handles.add(scheduler.submit(decode, new ChoiceListener(progress, p * request.n() + j)));
                }
            }
            return handles;
        } catch (InvalidRequestException e) {
            handles.forEach(RequestHandle::cancel);
            throw ApiException.of(e);
        }
    }

    /** The request's sampling, its seed shifted per choice so that n choices differ but replay. */
    private static SamplingParams sampling(CompletionRequest request, int choice) {
        SamplingParams sampling = request.sampling();
        return sampling.seed().isPresent() && choice > 0
                ? sampling.withSeed(sampling.seed().getAsLong() + choice)
                : sampling;
    }

    private long[] tokens(PromptInput prompt) {
        long[] ids =
                switch (prompt) {
                    case PromptInput.Text text -> {
                        promptBound.check(text.text(), "prompt");
                        yield text.specialTokensAsText()
                                ? asText(text.text())
                                : base.tokenizer().encode(text.text());
                    }
                    case PromptInput.Tokens tokens -> tokens.ids();
                    case PromptInput.Chat chat -> chatTemplate.tokens(chat, base.tokenizer(), promptBound::check);
                };
        if (ids.length == 0) {
            throw ApiException.invalid("prompt", "prompt must contain at least one token");
        }
        return ids;
    }

    /** The post-processor's tokens (those it gives an empty text, e.g. a BOS), then the text as text. */
    private long[] asText(String text) {
        long[] added = base.tokenizer().encode("");
        long[] body = base.tokenizer().encodeAsText(text);
        long[] ids = java.util.Arrays.copyOf(added, added.length + body.length);
        System.arraycopy(body, 0, ids, added.length, body.length);
        return ids;
    }

    private String promptText(PromptInput prompt, long[] ids) {
        return prompt instanceof PromptInput.Text text
                ? text.text()
                : base.tokenizer().decode(ids);
    }

    @Override
    public ClassifyScores classify(ClassifyRequest request) {
        if (stopping) {
            throw shuttingDown();
        }
        return scoring.score(request);
    }

    @Override
    public int inFlight() {
        return scheduler.runningRequests() + scheduler.waitingRequests();
    }

    @Override
    public ObjectNode card() {
        ObjectNode card = ModelCard.of(name, models, StrategyRegistry.standard());
        scoring.describe(card);
        return card;
    }

    /**
     * 400, not 429: a request of more choices (prompts times n) than the queue holds could never be
     * admitted, however long the client retried.
     */
    private ApiException neverAdmitted(CompletionRequest request) {
        String field = request.n() > 1 ? "n" : "prompt";
        return new ApiException(
                400,
                "invalid_request_error",
                field,
                "over_server_limit",
                "the request has " + request.choices() + " choices ("
                        + request.prompts().size() + " prompts times n "
                        + request.n() + "), more than model '" + name + "' queues at once (max_queued_requests "
                        + maxQueuedRequests + "); send fewer prompts or a smaller n");
    }

    private static ApiException shuttingDown() {
        return new ApiException(
                503, "server_error", null, "server_draining", "the server is shutting down; retry on another instance");
    }

    /**
     * Stops the scheduler thread (requests still queued or running end with a shutdown error), then
     * closes the sessions: in this order, so that no pass runs on a closed session.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            stopping = true;
        }
        if (!thread.close()) {
            // a round still running after the wait: its sessions stay open rather than crash it
            return;
        }
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the models of '" + name + "'", e);
        }
    }
}
