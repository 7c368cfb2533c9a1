package dev.trimtab.decoding.schedule;

import java.util.List;

/**
 * Sequences waiting to be scored by a sequence reward model: batched with every other request's in
 * the round's scoring phase, after the lanes ran and before {@link StepDecoder#endRound}.
 */
public final class ScoreTicket {
    private final NamedRewardModel model;
    private final List<long[]> sequences;
    private final RequestState owner;
    private float[] scores;

    ScoreTicket(NamedRewardModel model, List<long[]> sequences, RequestState owner) {
        this.model = model;
        this.sequences = List.copyOf(sequences);
        this.owner = owner;
    }

    /** Whether the scores are in. */
    public boolean ready() {
        return scores != null;
    }

    /** One reward per sequence, in the order given. */
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
