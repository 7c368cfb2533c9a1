package dev.trimtab.decoding.strategy;

/**
 * Sequences waiting to be scored by a sequence reward model: batched with every other request's in
 * the round's scoring phase, after the lanes ran and before {@link StepDecoder#endRound}.
 */
public interface ScoreTicket {

    /** Whether the scores are in. */
    boolean ready();

    /**
     * One reward per sequence, in the order given.
     *
     * @throws IllegalStateException before they are {@link #ready()}
     */
    float[] scores();
}
