package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.ScoreTicket;
import java.util.List;

/** A {@link ScoreTicket} as the scheduler keeps it: the model, the sequences and the request they belong to. */
final class PendingScores implements ScoreTicket {
    private final NamedRewardModel model;
    private final List<long[]> sequences;
    private final RequestState owner;
    private float[] scores;

    PendingScores(NamedRewardModel model, List<long[]> sequences, RequestState owner) {
        this.model = model;
        this.sequences = List.copyOf(sequences);
        this.owner = owner;
    }

    @Override
    public boolean ready() {
        return scores != null;
    }

    @Override
    public float[] scores() {
        if (scores == null) {
            throw new IllegalStateException("the sequences have not been scored yet");
        }
        return scores.clone();
    }

    NamedRewardModel model() {
        return model;
    }

    List<long[]> sequences() {
        return sequences;
    }

    RequestState owner() {
        return owner;
    }

    void complete(float[] values) {
        scores = values;
    }
}
