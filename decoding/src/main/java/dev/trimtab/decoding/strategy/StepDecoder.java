package dev.trimtab.decoding.strategy;

/**
 * The step-wise state machine of one request, driven by the {@link Scheduler} once per round. It
 * talks only to its {@link Row}s and its {@link RequestContext}, never to ONNX Runtime.
 *
 * <p>A round runs the lanes in a fixed order, base first, then the auxiliary models, then the
 * sequence reward models; {@link #afterBase} and {@link #endRound} fall between them. Every live
 * row must be given its input ({@link Row#feed}, {@link Row#fork} or {@link Row#release}) before
 * its lane's next forward pass: base rows by the end of the round, auxiliary rows by the end of
 * {@link #afterBase} of the round they are to be stepped in.
 */
public interface StepDecoder {

    /**
     * The base lane's forward pass ran: base rows hold fresh logits, auxiliary lanes have not run.
     * Multi-phase strategies choose candidates here and feed or fork their auxiliary rows.
     */
    default void afterBase() {}

    /**
     * Every lane and sequence reward model ran: read, choose, emit, and feed the rows for the next
     * round, or finish through the context.
     */
    void endRound();
}
