package dev.trimtab.server.serving;

import dev.trimtab.decoding.sampling.TokenLogprobs;
import dev.trimtab.decoding.schedule.Accounting;
import dev.trimtab.decoding.schedule.DecodeListener;
import dev.trimtab.decoding.schedule.DecodeResult;

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
        request.token(index, token, text, TokenLogprobs.of(logprob, Double.NaN));
    }

    @Override
    public void onToken(long token, String text, TokenLogprobs logprobs) {
        request.token(index, token, text, logprobs);
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
