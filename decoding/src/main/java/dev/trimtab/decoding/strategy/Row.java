package dev.trimtab.decoding.strategy;

import java.util.List;

/**
 * A request's handle on one row of one model's lane: the row's KV cache lives in the lane's shared
 * batch, the handle reads its logits and says what the row takes next. Inputs take effect at the
 * lane's next forward pass; until then the latest call wins. Only the scheduler thread uses rows.
 *
 * <p>A row opened with a prompt is prefilled at its lane's next pass. If it has been given its
 * next input by then ({@link #feed}, {@link #fork}), the prompt is prefilled and the input stepped
 * in the same pass, and only the step's logits are readable (scorer rows); otherwise the prompt's
 * own next-token logits are readable after the pass, and the row steps at the lane's following pass.
 */
public interface Row {

    /** Copies this row's logits after its lane's last pass into {@code target} (length >= {@link #vocab()}). */
    float[] logits(float[] target);

    /** This row's logit of {@code token} after its lane's last pass. */
    float logit(int token);

    /** The score of a score-head row: the value of its prefix, every token fed so far included. */
    default float score() {
        return logit(0);
    }

    /** Width of this row's logits (1 for a score head). */
    int vocab();

    /** The name of the model this row belongs to. */
    String model();

    /** Steps {@code token} at the lane's next pass. */
    void feed(long token);

    /**
     * Replaces this row at the lane's next pass by {@code tokens.length} copies of its cache, copy
     * {@code i} stepping {@code tokens[i]}: one prefill shared N ways, or k candidates scored in one
     * batch. This handle is released; use the returned ones.
     */
    List<Row> fork(long... tokens);

    /** Drops this row from its lane at the next pass; safe to call more than once. */
    void release();

    /** Whether the row is still in (or on its way to) its lane and not released. */
    boolean live();
}
