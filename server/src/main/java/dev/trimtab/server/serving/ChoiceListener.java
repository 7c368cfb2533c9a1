package dev.trimtab.server.serving;

import dev.trimtab.decoding.sampling.TokenAlternative;
import dev.trimtab.decoding.schedule.Accounting;
import dev.trimtab.decoding.schedule.DecodeListener;
import dev.trimtab.decoding.schedule.DecodeResult;
import java.util.List;

/** Forwards one choice's decoding events to its request, with the choice's index. */
final class ChoiceListener implements DecodeListener {
    private final RequestProgress request;
    private final int index;

    ChoiceListener(RequestProgress request, int index) {
        this.request = request;
        this.index = index;
    }

    @Override
    public void onStart() {
        request.started();
    }

    @Override
    public void onToken(long token, String text, double logprob) {
        request.token(index, token, text, logprob, List.of());
    }

    @Override
    public void onToken(long token, String text, double logprob, List<TokenAlternative> top) {
        request.token(index, token, text, logprob, top);
    }

    @Override
    public void onFinish(DecodeResult result) {
        request.finished(index, result);
    }

    @Override
    public void onCancel(Accounting accounting) {
        request.cancelled();
    }

    @Override
    public void onError(Exception error) {
        request.failed(error);
    }
}
