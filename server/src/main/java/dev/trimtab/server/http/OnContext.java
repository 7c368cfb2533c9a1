package dev.trimtab.server.http;

import dev.trimtab.server.serving.ChoiceResult;
import dev.trimtab.server.serving.CompletionObserver;
import dev.trimtab.server.serving.RequestSummary;
import dev.trimtab.server.serving.TokenLogprob;
import io.vertx.core.Context;
import java.util.List;

/** Moves a request's events from the scheduler thread onto the Vert.x context that owns its connection. */
final class OnContext implements CompletionObserver {
    private final Context context;
    private final CompletionObserver target;

    OnContext(Context context, CompletionObserver target) {
        this.context = context;
        this.target = target;
    }

    @Override
    public void onText(int choice, String text, List<TokenLogprob> logprobs, long[] promptIds) {
        context.runOnContext(v -> target.onText(choice, text, logprobs, promptIds));
    }

    @Override
    public void onChoiceFinished(int choice, ChoiceResult result) {
        context.runOnContext(v -> target.onChoiceFinished(choice, result));
    }

    @Override
    public void onCompleted(RequestSummary summary) {
        context.runOnContext(v -> target.onCompleted(summary));
    }

    @Override
    public void onFailed(Throwable error) {
        context.runOnContext(v -> target.onFailed(error));
    }
}
