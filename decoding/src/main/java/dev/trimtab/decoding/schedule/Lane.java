package dev.trimtab.decoding.schedule;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderBatch;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.Logits;
import dev.trimtab.decoding.strategy.ModelRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * The rows of every request that uses one model, in one shared {@link DecoderBatch}: continuous
 * batching as Hugging Face TGI's causal-LM batches do it. Each pass ({@link #advance}) first applies
 * what the rows asked for (released rows leave, forked rows are copied, rows prefilled at the last
 * pass join: left-padded or into slots, as the model's {@link DecoderBatch} keeps its cache), then
 * steps every row with its input in one batched forward, then
 * prefills the prompts of rows opened since, in one more. A prompt the scheduler prefilled over
 * several rounds beforehand ({@link #hold}) is taken by its request's first row instead of being
 * prefilled again. Not thread-safe: the scheduler thread owns it.
 */
final class Lane implements AutoCloseable {
    private final String name;
    private final ModelRole role;
    private final DecoderModel model;
    private final LongSupplier passIds;
    private final List<LaneRow> pending = new ArrayList<>();
    private DecoderBatch running;
    private List<LaneRow> runningRows = List.of();
    private Logits runningLogits;
    private DecoderBatch arrivals;
    private List<LaneRow> arrivalRows = List.of();
    private Logits arrivalLogits;
    private long prefillNanos;
    private final Map<RequestState, Held> held = new IdentityHashMap<>();

    /** A prompt prefilled ahead of its request's start, waiting for the request's first row. */
    private record Held(long[] prompt, DecoderBatch batch) {}

    /** A batch prefilled for the prompts of {@code rows}, in its order; its logits are theirs. */
    private record Prefilled(DecoderBatch batch, List<LaneRow> rows) {}

    Lane(String name, ModelRole role, DecoderModel model, LongSupplier passIds) {
        this.name = name;
        this.role = role;
        this.model = model;
        this.passIds = passIds;
    }

    String name() {
        return name;
    }

    DecoderModel model() {
        return model;
    }

    ModelRole role() {
        return role;
    }

    int vocab() {
        return model.vocabSize();
    }

    /** A new row of {@code owner} that will be prefilled with {@code prompt}. */
    LaneRow open(RequestState owner, long[] prompt) {
        LaneRow row = new LaneRow(this, owner, prompt.clone());
        pending.add(row);
        return row;
    }

    /**
     * Keeps {@code batch} (one row: {@code prompt} prefilled, its next-token logits readable) for the
     * first row {@code owner} opens with that prompt before {@link #dropHeld}.
     */
    void hold(RequestState owner, long[] prompt, DecoderBatch batch) {
        Held previous = held.put(owner, new Held(prompt, batch));
        if (previous != null) {
            previous.batch().close();
        }
    }

    /** Closes the prefilled prompts no row took (their request opened no row here, or ended). */
    void dropHeld() {
        held.values().forEach(unused -> unused.batch().close());
        held.clear();
    }

    /** Rows stepped at the last pass plus rows prefilled or waiting to be. */
    int rows() {
        return runningRows.size() + arrivalRows.size() + pending.size();
    }

    boolean idle() {
        return rows() == 0;
    }

    Logits logits(LaneRow row) {
        Logits logits = row.state() == LaneRow.State.ARRIVED ? arrivalLogits : runningLogits;
        if (logits == null) {
            throw new IllegalStateException("lane '" + name + "' has run no pass since its batch changed");
        }
        return logits;
    }

    /**
     * One pass of this lane. Rows that were given no input are dropped and their owners returned, so
     * that the scheduler can fail those requests alone.
     */
    Set<RequestState> advance() throws OrtException {
        long start = System.nanoTime();
        prefillNanos = 0;
        Set<RequestState> stalled = new LinkedHashSet<>();
        Inputs inputs = applyInputs(stalled);
        if (running != null) {
            step(inputs, start);
        }
        prefillArrivals();
        pending.clear();
        return stalled;
    }

    /**
     * Drops, copies and joins rows as they asked, prefilling the pending rows that were given an input
     * (their prompt's logits are not needed), and returns the rows of the step in batch order.
     */
    private Inputs applyInputs(Set<RequestState> stalled) throws OrtException {
        Inputs inputs = new Inputs();
        running = keep(running, runningRows, inputs, stalled);
        running = join(running, keep(arrivals, arrivalRows, inputs, stalled));
        arrivals = null;
        arrivalRows = List.of();
        arrivalLogits = null;
        runningLogits = null;
        List<LaneRow> stepNow = pending.stream()
                .filter(row -> row.successors() != null && !row.successors().isEmpty())
                .toList();
        if (!stepNow.isEmpty()) {
            Prefilled fresh = prefill(stepNow);
            try {
                running = join(running, keep(fresh.batch(), fresh.rows(), inputs, stalled));
            } catch (OrtException | RuntimeException e) {
                fresh.batch().close();
                throw e;
            }
        }
        runningRows = inputs.rows;
        return inputs;
    }

    /** Prefills the pending rows given no input yet: their prompt's logits are read before they step. */
    private void prefillArrivals() throws OrtException {
        List<LaneRow> readFirst = new ArrayList<>();
        for (LaneRow row : pending) {
            if (row.successors() == null) {
                readFirst.add(row);
            } else if (row.successors().isEmpty()) {
                row.retire();
            }
        }
        if (!readFirst.isEmpty()) {
            Prefilled prefilled = prefill(readFirst);
            arrivals = prefilled.batch();
            arrivalRows = prefilled.rows();
            arrivalLogits = prefilled.batch().logits();
            place(arrivalRows, LaneRow.State.ARRIVED);
        }
    }

    /**
     * Keeps, copies or drops the rows of {@code batch} as they asked; null when none is left. When no
     * row is copied, the rows that stay are ordered so that the last ones fill the places of those
     * that left: the batch then moves one row per leaver, in place.
     */
    private DecoderBatch keep(DecoderBatch batch, List<LaneRow> rows, Inputs inputs, Set<RequestState> stalled)
            throws OrtException {
        if (batch == null) {
            return null;
        }
        List<Integer> sources = new ArrayList<>();
        List<LaneRow> successors = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            LaneRow row = rows.get(i);
            if (row.successors() == null) {
                stalled.add(row.owner());
                row.retire();
                continue;
            }
            List<LaneRow> continuing = expand(row);
            for (LaneRow successor : continuing) {
                sources.add(i);
                successors.add(successor);
            }
            if (!continuing.contains(row)) {
                row.retire();
            }
        }
        if (sources.isEmpty()) {
            batch.close();
            return null;
        }
        int[] order = fillHoles(sources);
        for (int slot : order) {
            inputs.add(successors.get(slot));
        }
        int[] kept = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            kept[i] = sources.get(order[i]);
        }
        batch.retain(kept);
        return batch;
    }

    /**
     * An order of {@code sources} (row indices, ascending) in which each kept row stays where it is
     * and the rows beyond the new size fill the places of those that left, the last first; the
     * natural order when a row is kept more than once (a fork copies the batch anyway).
     */
    static int[] fillHoles(List<Integer> sources) {
        int size = sources.size();
        int[] natural = IntStream.range(0, size).toArray();
        if (sources.stream().distinct().count() != size) {
            return natural;
        }
        int[] atRow = new int[sources.get(size - 1) + 1];
        Arrays.fill(atRow, -1);
        for (int i = 0; i < size; i++) {
            atRow[sources.get(i)] = i;
        }
        int[] order = new int[size];
        int tail = size - 1;
        for (int slot = 0; slot < size; slot++) {
            if (slot < atRow.length && atRow[slot] >= 0) {
                order[slot] = atRow[slot];
            } else {
                while (sources.get(tail) < size) {
                    tail--;
                }
                order[slot] = tail--;
            }
        }
        return order;
    }

    /** The live rows that continue {@code row}: itself, its copies (and theirs), or none. */
    private static List<LaneRow> expand(LaneRow row) {
        List<LaneRow> rows = new ArrayList<>();
        for (LaneRow successor : row.successors()) {
            if (successor == row) {
                rows.add(row);
            } else if (successor.state() != LaneRow.State.RELEASED && successor.successors() != null) {
                rows.addAll(expand(successor));
            }
        }
        return rows;
    }

    private static DecoderBatch join(DecoderBatch into, DecoderBatch other) throws OrtException {
        if (into == null) {
            return other;
        }
        if (other != null) {
            into.join(other);
        }
        return into;
    }

    /**
     * One batch with the prompts of {@code rows}: those held for their request taken as they are, the
     * others prefilled together in one pass; their logits copied out when the batch is made of more
     * than one part.
     */
    private Prefilled prefill(List<LaneRow> rows) throws OrtException {
        List<LaneRow> ordered = new ArrayList<>();
        List<LaneRow> fresh = new ArrayList<>();
        List<DecoderBatch> parts = new ArrayList<>();
        for (LaneRow row : rows) {
            Held prompt = held.get(row.owner());
            if (prompt != null && Arrays.equals(prompt.prompt(), row.prompt())) {
                held.remove(row.owner());
                parts.add(prompt.batch());
                ordered.add(row);
            } else {
                fresh.add(row);
            }
        }
        try {
            if (!fresh.isEmpty()) {
                parts.add(prefillTogether(fresh));
                ordered.addAll(fresh);
            }
        } catch (OrtException | RuntimeException e) {
            parts.forEach(DecoderBatch::close);
            throw e;
        }
        DecoderBatch batch = parts.size() == 1 ? parts.get(0) : DecoderBatch.joinPrefilled(parts);
        return new Prefilled(batch, ordered);
    }

    private DecoderBatch prefillTogether(List<LaneRow> rows) throws OrtException {
        List<long[]> prompts = rows.stream().map(LaneRow::prompt).toList();
        long start = System.nanoTime();
        DecoderBatch batch = DecoderBatch.prefill(model, prompts);
        long nanos = System.nanoTime() - start;
        prefillNanos += nanos;
        long pass = passIds.getAsLong();
        long tokens = prompts.stream().mapToLong(prompt -> prompt.length).sum();
        for (LaneRow row : rows) {
            row.owner().usage().record(name, role, pass, row.prompt().length, nanos * row.prompt().length / tokens);
        }
        return batch;
    }

    private void step(Inputs inputs, long start) throws OrtException {
        runningLogits = running.step(inputs.tokens());
        long nanos = System.nanoTime() - start - prefillNanos; // the batch changes and the step
        long pass = passIds.getAsLong();
        int rows = inputs.rows.size();
        for (LaneRow row : inputs.rows) {
            row.owner().usage().record(name, role, pass, 1, nanos / rows);
        }
        place(runningRows, LaneRow.State.RUNNING);
    }

    private static void place(List<LaneRow> rows, LaneRow.State state) {
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).placed(state, i);
        }
    }

    /**
     * Frees the batches at once when every row has been released (the last request finished or was
     * cancelled), instead of at the next pass, which may be long in coming.
     */
    void closeIfAllReleased() {
        for (List<LaneRow> rows : List.of(runningRows, arrivalRows, pending)) {
            for (LaneRow row : rows) {
                if (row.state() != LaneRow.State.RELEASED
                        && (row.successors() == null || !row.successors().isEmpty())) {
                    return;
                }
            }
        }
        reset();
    }

    /**
     * Closes every batch and retires every row, after a failed pass; returns the requests that had
     * rows here.
     */
    Set<RequestState> reset() {
        Set<RequestState> owners = new LinkedHashSet<>();
        for (List<LaneRow> rows : List.of(runningRows, arrivalRows, pending)) {
            for (LaneRow row : rows) {
                owners.add(row.owner());
                row.retire();
            }
        }
        close();
        runningRows = List.of();
        arrivalRows = List.of();
        pending.clear();
        return owners;
    }

    @Override
    public void close() {
        dropHeld();
        try (DecoderBatch first = running;
                DecoderBatch second = arrivals) {
            running = null;
            arrivals = null;
            runningLogits = null;
            arrivalLogits = null;
        }
    }

    /** The rows of the next step, in batch order, and their input tokens. */
    private static final class Inputs {
        private final List<LaneRow> rows = new ArrayList<>();
        private long[] tokens = new long[8];

        void add(LaneRow row) {
            if (rows.size() == tokens.length) {
                tokens = Arrays.copyOf(tokens, 2 * tokens.length);
            }
            tokens[rows.size()] = row.input();
            rows.add(row);
        }

        long[] tokens() {
            return Arrays.copyOf(tokens, rows.size());
        }
    }
}
