package dev.trimtab.decoding.engine;

import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The running rows of one model: their KV cache, attention mask and positions. On a concatenating
 * cache rows of different lengths are left-padded to a common length; the mask hides the padding
 * and positions count only real tokens, so a row decodes as it would alone. Rows leave between steps ({@link #retain}) and
 * join ({@link #join}). The cache lives in pooled buffers with room to spare, so that the common
 * changes happen in place: rows that leave are covered by the rows after them moving down, rows
 * that join (no longer than the batch) are written after the last row; only forks, reorderings,
 * longer newcomers and a large share of needless padding copy the whole cache.
 *
 * <p>A model with a {@linkplain DecoderModel#sharedCache() shared cache} keeps each row in a slot of
 * a common capacity instead, its tokens from position 0 and the mask right-padded: a step writes
 * one position per row in place (no pass copies the cache), a leaving row is covered by a later one
 * moving down, a joining row is copied once after the last, and only forks, reorderings, newcomers
 * that do not fit and a longest row outgrowing the capacity (which then grows by half) gather every
 * row into a new cache. Not thread-safe: one scheduler thread owns a batch.
 */
public final class DecoderBatch implements AutoCloseable {
    /** Logits floats one prefill pass may produce; longer prompts are prefilled in chunks. */
    static final long PREFILL_LOGITS_BUDGET = 1L << 25;

    /**
     * Padded prompt tokens one pass prefills on a shared cache; more prompts are prefilled in groups
     * and joined (a shared cache cannot prefill several right-padded rows a chunk at a time).
     */
    static final int SHARED_PREFILL_TOKENS = 4096;

    /**
     * Columns one pass prefills of a prompt on a shared cache: attention scratch grows with the
     * columns times the slots' capacity. A longer prompt is prefilled alone, in chunks.
     */
    static final int SHARED_CHUNK_COLUMNS = 1024;

    /** The least headroom, in positions, a shared cache's slots get beyond the longest row. */
    static final int CAPACITY_STEP = 32;

    private final DecoderModel model;
    private final StepTimer timer = new StepTimer();
    private KvCache cache;
    private long[] mask;
    private int[] realLength;
    private int batch;
    private int length;
    private ByteBuffer logitsBuffer = ByteBuffer.allocate(0);
    private Logits logits;

    private DecoderBatch(DecoderModel model, KvCache cache, long[] mask, int[] realLength, int batch, int length) {
        this.model = model;
        this.cache = cache;
        this.mask = mask;
        this.realLength = realLength;
        this.batch = batch;
        this.length = length;
    }

    /** A batch with no rows, to which prefilled batches {@link #join}. */
    public static DecoderBatch empty(DecoderModel model) throws OrtException {
        return new DecoderBatch(
                model,
                KvCache.empty(model.environment(), model.cacheShape(), 0, model.cacheMemory()),
                new long[0],
                new int[0],
                0,
                0);
    }

    /**
     * Runs the prompts through the model and returns a batch whose {@link #logits()} are each
     * prompt's next-token logits: left-padded and in chunks when long on a concatenating cache;
     * right-padded on a shared cache, in groups of at most {@link #SHARED_PREFILL_TOKENS} padded
     * tokens, a long prompt alone and in chunks.
     */
    public static DecoderBatch prefill(DecoderModel model, List<long[]> prompts) throws OrtException {
        return prefill(model, prompts, PREFILL_LOGITS_BUDGET);
    }

    static DecoderBatch prefill(DecoderModel model, List<long[]> prompts, long logitsBudget) throws OrtException {
        return prefill(model, prompts, logitsBudget, SHARED_PREFILL_TOKENS);
    }

    /** {@link #prefill}, a shared cache's prompts in groups of at most {@code groupTokens} padded tokens. */
    static DecoderBatch prefill(DecoderModel model, List<long[]> prompts, long logitsBudget, int groupTokens)
            throws OrtException {
        if (model.sharedCache()) {
            List<List<long[]>> groups = sharedGroups(prompts, groupTokens);
            if (groups.size() > 1) {
                return prefillGroups(model, groups, logitsBudget, groupTokens);
            }
        }
        PrefillInputs inputs = PrefillInputs.of(prompts, model);
        DecoderBatch created = unfilled(model, inputs);
        try {
            created.prefillColumns(inputs, 0, inputs.length(), logitsBudget);
            return created;
        } catch (OrtException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /**
     * Consecutive prompts in groups of at most {@code groupTokens} padded tokens; a prompt longer
     * than that or than {@link #SHARED_CHUNK_COLUMNS} goes alone (and is prefilled in chunks).
     */
    private static List<List<long[]>> sharedGroups(List<long[]> prompts, int groupTokens) {
        List<List<long[]>> groups = new ArrayList<>();
        List<long[]> group = new ArrayList<>();
        int longest = 0;
        for (long[] prompt : prompts) {
            int padded = Math.max(longest, prompt.length);
            boolean alone = padded > SHARED_CHUNK_COLUMNS;
            if (!group.isEmpty() && (alone || (long) (group.size() + 1) * padded > groupTokens)) {
                groups.add(group);
                group = new ArrayList<>();
                padded = prompt.length;
            }
            group.add(prompt);
            longest = padded;
        }
        groups.add(group);
        return groups;
    }

    /** The groups prefilled one after another and joined, their logits copied out in order. */
    private static DecoderBatch prefillGroups(
            DecoderModel model, List<List<long[]>> groups, long logitsBudget, int groupTokens) throws OrtException {
        List<DecoderBatch> parts = new ArrayList<>();
        try {
            for (List<long[]> group : groups) {
                parts.add(prefill(model, group, logitsBudget, groupTokens));
            }
        } catch (OrtException | RuntimeException e) {
            parts.forEach(DecoderBatch::close);
            throw e;
        }
        return joinPrefilled(parts);
    }

    /**
     * Batches just prefilled (or whose logits are otherwise current), joined in order into the
     * first, whose {@link #logits()} are then every part's last-position logits, copied out before
     * the joins; on failure every part is closed.
     */
    public static DecoderBatch joinPrefilled(List<DecoderBatch> parts) throws OrtException {
        try {
            Logits logits = Logits.lastPositions(
                    parts.stream().map(DecoderBatch::logits).toList());
            DecoderBatch joined = parts.get(0);
            for (int i = 1; i < parts.size(); i++) {
                joined.join(parts.get(i));
            }
            joined.logits = logits;
            return joined;
        } catch (OrtException | RuntimeException e) {
            parts.forEach(DecoderBatch::close);
            throw e;
        }
    }

    /** A batch for {@code inputs} whose cache holds none of them yet: {@link #prefillColumns} fills it. */
    static DecoderBatch unfilled(DecoderModel model, PrefillInputs inputs) throws OrtException {
        KvCache cache = model.sharedCache()
                ? KvCache.pooled(
                        model.environment(),
                        model.cacheShape(),
                        inputs.rows(),
                        capacityFor(model, inputs.length()),
                        model.cacheMemory())
                : KvCache.empty(model.environment(), model.cacheShape(), inputs.rows(), model.cacheMemory());
        return new DecoderBatch(model, cache, inputs.mask(), inputs.realLengths(), inputs.rows(), inputs.length());
    }

    /**
     * Runs the prompt columns [start, end) of {@code inputs}, every earlier column being in the cache
     * already, in passes of at most {@code logitsBudget} logits floats.
     */
    void prefillColumns(PrefillInputs inputs, int start, int end, long logitsBudget) throws OrtException {
        int chunk = (int) Math.max(1, Math.min(end - start, logitsBudget / ((long) batch * model.vocabSize())));
        if (model.sharedCache() && batch > 1) {
            if (start != 0 || end != inputs.length()) {
                throw new IllegalStateException("a shared cache prefills several prompts in one pass, not in chunks");
            }
            chunk = end;
        } else if (model.sharedCache()) {
            chunk = Math.min(chunk, SHARED_CHUNK_COLUMNS);
        }
        for (int from = start; from < end; from += chunk) {
            int to = Math.min(end, from + chunk);
            forward(inputs.chunk(from, to), to - from);
        }
    }

    /**
     * Appends one token to every row and returns the next-token logits.
     *
     * @param tokens one token id per row, in row order
     */
    public Logits step(long[] tokens) throws OrtException {
        if (tokens.length != batch) {
            throw new IllegalArgumentException(
                    "step needs one token per row: " + batch + " rows, got " + tokens.length);
        }
        long[] positions = new long[batch];
        for (int r = 0; r < batch; r++) {
            checkToken(tokens[r]);
            if (realLength[r] >= model.contextLength()) {
                throw new IllegalStateException(
                        "row " + r + " reached the model's context of " + model.contextLength() + " tokens");
            }
        }
        // On a shared cache the batch's length is its longest row's, which this step makes one longer.
        if (model.sharedCache() && length + 1 > cache.length()) {
            regather(IntStream.range(0, batch).toArray(), capacityFor(model, length + 1));
        }
        for (int r = 0; r < batch; r++) {
            positions[r] = realLength[r]++;
        }
        mask = model.sharedCache()
                ? MaskLayout.rightPadded(realLength, length + 1)
                : MaskLayout.appendColumn(mask, batch, length);
        length++;
        return forward(new StepInputs(tokens, mask, positions, batch, 1, length), 1);
    }

    /** Receives the next-token logits after each prefix of a prompt. */
    @FunctionalInterface
    public interface PositionLogits {
        /**
         * @param position the prefix's last index: {@code logits} predict the token after it
         * @param logits a buffer reused for every position, the model's full vocabulary
         */
        void accept(int position, float[] logits);
    }

    /**
     * Runs {@code prompt} alone through {@code model} with logits at every position (the language
     * model head over the whole prompt, {@code num_logits_to_keep} 0), in chunks as a prefill, and
     * hands each position's logits to {@code consumer}: what scoring a given text needs.
     */
    public static void everyPosition(DecoderModel model, long[] prompt, PositionLogits consumer) throws OrtException {
        PrefillInputs inputs = PrefillInputs.of(List.of(prompt), model);
        float[] row = new float[model.vocabSize()];
        try (DecoderBatch batch = unfilled(model, inputs)) {
            int chunk = (int) Math.max(1, Math.min(inputs.length(), PREFILL_LOGITS_BUDGET / model.vocabSize()));
            if (model.sharedCache()) {
                chunk = Math.min(chunk, SHARED_CHUNK_COLUMNS);
            }
            for (int start = 0; start < inputs.length(); start += chunk) {
                int end = Math.min(inputs.length(), start + chunk);
                Logits logits = batch.forward(inputs.chunk(start, end), end - start, true);
                for (int p = start; p < end; p++) {
                    consumer.accept(p, logits.copyPosition(0, p - start, row));
                }
            }
        }
    }

    private Logits forward(StepInputs inputs, int seq) throws OrtException {
        return forward(inputs, seq, false);
    }

    private Logits forward(StepInputs inputs, int seq, boolean everyPosition) throws OrtException {
        int positions = model.logitsPositions(seq, everyPosition);
        FloatBuffer buffer = logitsBuffer(batch * positions * model.vocabSize());
        long start = System.nanoTime();
        KvCache next = timer.timeRun(() -> model.forward(inputs, cache, buffer, everyPosition));
        if (next != cache) {
            cache.close();
            cache = next;
        }
        logits = new Logits(buffer, batch, positions, model.vocabSize());
        timer.endPass(start);
        return logits;
    }

    /** The logits buffer, from the model's pool so that short-lived batches do not each allocate one. */
    private FloatBuffer logitsBuffer(int floats) {
        long bytes = (long) floats * Float.BYTES;
        if (logitsBuffer.capacity() < bytes) {
            model.cacheMemory().give(logitsBuffer);
            logitsBuffer = model.cacheMemory().take(bytes);
        }
        return logitsBuffer
                .clear()
                .limit((int) bytes)
                .slice()
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    private void checkToken(long token) {
        if (token < 0 || token >= model.inputVocabSize()) {
            throw new IllegalArgumentException("token id must be in [0, " + model.inputVocabSize() + "), got " + token);
        }
    }

    /** The logits of the last pass (prefill or step). */
    public Logits logits() {
        if (logits == null) {
            throw new IllegalStateException("no forward pass has run on this batch");
        }
        return logits;
    }

    /**
     * Keeps only {@code rows} (indices into the current batch, in their new order; an index may
     * repeat, which copies that row's cache: a fork) and drops the left padding no kept row needs.
     * {@link #logits()} is unset afterwards; a {@link Logits} taken before stays readable until this
     * batch's next forward pass, as the buffer it views is not touched.
     */
    public void retain(int[] rows) throws OrtException {
        if (isIdentity(rows)) {
            return;
        }
        int drop = length;
        for (int row : rows) {
            if (row < 0 || row >= batch) {
                throw new IndexOutOfBoundsException("row " + row + " of a batch of " + batch);
            }
            drop = Math.min(drop, length - realLength[row]);
        }
        if (model.sharedCache()) {
            retainSlots(rows);
            return;
        }
        if (rows.length > 0 && cache.inPlace() && movesForward(rows) && drop <= length / 4) {
            // No row is copied or moved back and the padding is small: move rows within the cache.
            mask = MaskLayout.select(mask, length, rows, 0);
            realLength = Arrays.stream(rows).map(row -> realLength[row]).toArray();
            KvCache kept = cache.compact(model.environment(), rows);
            cache = kept;
            batch = rows.length;
            logits = null;
            return;
        }
        KvCache kept = cache.select(model.environment(), rows, rows.length == 0 ? 0 : drop);
        int newLength = rows.length == 0 ? 0 : length - drop;
        mask = MaskLayout.select(mask, length, rows, length - newLength);
        realLength = Arrays.stream(rows).map(row -> realLength[row]).toArray();
        replaceCache(kept, rows.length, newLength);
    }

    /** {@link #retain} on a shared cache: rows move down in place when they can, else are gathered. */
    private void retainSlots(int[] rows) throws OrtException {
        int[] kept = Arrays.stream(rows).map(row -> realLength[row]).toArray();
        if (rows.length == 0) {
            replaceCache(KvCache.empty(model.environment(), model.cacheShape(), 0, model.cacheMemory()), 0, 0);
        } else if (cache.inPlace() && movesForward(rows)) {
            cache = cache.moveSlots(model.environment(), rows, kept);
        } else {
            int longest = Arrays.stream(kept).max().orElse(0);
            regather(rows, Math.min(cache.length(), capacityFor(model, longest)));
        }
        realLength = kept;
        batch = rows.length;
        length = Arrays.stream(kept).max().orElse(0);
        logits = null;
    }

    /** Copies {@code rows} (current indices, in order) into a new shared cache of {@code capacity} positions per row. */
    private void regather(int[] rows, int capacity) throws OrtException {
        KvCache gathered = KvCache.gather(model.environment(), slots(rows), capacity);
        cache.close();
        cache = gathered;
    }

    /** Rows {@code rows} of this batch's cache with their filled positions. */
    private List<KvCache.Slot> slots(int[] rows) {
        List<KvCache.Slot> slots = new ArrayList<>();
        for (int row : rows) {
            slots.add(new KvCache.Slot(cache, row, realLength[row]));
        }
        return slots;
    }

    /**
     * Slots for the longest of the rows, {@code positions}, and room to grow: half as much again,
     * at least {@link #CAPACITY_STEP}, rounded up to a multiple of it, within the model's context.
     */
    static int capacityFor(DecoderModel model, int positions) {
        int wanted = positions + Math.max(CAPACITY_STEP, positions / 2);
        wanted = (wanted + CAPACITY_STEP - 1) / CAPACITY_STEP * CAPACITY_STEP;
        return Math.max(positions, Math.min(wanted, model.contextLength()));
    }

    /**
     * Whether every row comes from its own place or one further on, each once: moving them in
     * ascending order then never overwrites a row before it is read.
     */
    private static boolean movesForward(int[] rows) {
        boolean[] seen = new boolean[batch(rows)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < i || seen[rows[i]]) return false;
            seen[rows[i]] = true;
        }
        return true;
    }

    private static int batch(int[] rows) {
        return Arrays.stream(rows).max().orElse(-1) + 1;
    }

    private boolean isIdentity(int[] rows) {
        if (rows.length != batch) {
            return false;
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) return false;
        }
        return true;
    }

    /**
     * Appends the rows of {@code other} (of the same model) after this batch's rows, left-padding the
     * shorter side; {@code other} is closed. {@link #logits()} is unset afterwards; a {@link Logits}
     * taken before (of either batch) stays readable until this batch's next forward pass.
     */
    public void join(DecoderBatch other) throws OrtException {
        if (other.model != model) {
            throw new IllegalArgumentException("only batches of the same model can join");
        }
        try (other) {
            if (other.batch == 0) {
                return;
            }
            if (model.sharedCache()) {
                joinSlots(other);
                return;
            }
            int newLength = Math.max(length, other.length);
            if (batch > 0 && cache.canAppend(other.cache)) {
                // The newcomers are no longer than this batch: write them after its rows, in place.
                mask = MaskLayout.concat(mask, batch, length, other.mask, other.batch, other.length);
                realLength = concat(realLength, other.realLength);
                cache = cache.append(model.environment(), other.cache);
                batch += other.batch;
                logits = null;
                return;
            }
            KvCache joined = KvCache.concat(model.environment(), cache, other.cache);
            mask = MaskLayout.concat(mask, batch, length, other.mask, other.batch, other.length);
            realLength = concat(realLength, other.realLength);
            replaceCache(joined, batch + other.batch, newLength);
        }
    }

    /**
     * {@link #join} on a shared cache: the newcomers' filled positions are copied after this batch's
     * rows when they fit in its buffers, else both are gathered into a larger cache; an empty batch
     * takes the newcomers' cache as it is.
     */
    private void joinSlots(DecoderBatch other) throws OrtException {
        int newLength = Math.max(length, other.length);
        if (batch == 0) {
            KvCache empty = cache;
            cache = other.cache;
            other.cache = empty;
        } else if (newLength <= cache.length() && cache.hasRoomFor(other.batch)) {
            cache = cache.appendSlots(model.environment(), other.cache, other.realLength);
        } else {
            List<KvCache.Slot> slots = slots(IntStream.range(0, batch).toArray());
            slots.addAll(other.slots(IntStream.range(0, other.batch).toArray()));
            KvCache joined = KvCache.gather(model.environment(), slots, capacityFor(model, newLength));
            cache.close();
            cache = joined;
        }
        realLength = concat(realLength, other.realLength);
        batch += other.batch;
        length = newLength;
        logits = null;
    }

    private void replaceCache(KvCache replacement, int newBatch, int newLength) {
        cache.close();
        cache = replacement;
        batch = newBatch;
        length = newLength;
        logits = null;
    }

    private static int[] concat(int[] first, int[] second) {
        int[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    /** Rows in the batch. */
    public int size() {
        return batch;
    }

    /**
     * Positions of the longest row, padding included: the mask's width (a shared cache's slots hold
     * more, their capacity).
     */
    public int cacheLength() {
        return length;
    }

    /** Real tokens (prompt plus generated) of row {@code row}. */
    public int tokens(int row) {
        return realLength[row];
    }

    public DecoderModel model() {
        return model;
    }

    /** Time spent inside and around {@code session.run}. */
    public StepTimer timer() {
        return timer;
    }

    @Override
    public void close() {
        cache.close();
        model.cacheMemory().give(logitsBuffer);
        logitsBuffer = ByteBuffer.allocate(0);
        logits = null;
    }
}
