package dev.trimtab.decoding.schedule;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.ChunkedPrefill;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The prompt of an admitted request longer than a round's prefill budget, prefilled a chunk per
 * round on every lane the request uses, before its strategy starts: the running requests keep
 * stepping every round instead of waiting for the whole prompt (chunked prefill). When the last
 * chunk has run, each lane {@linkplain Lane#hold holds} the prefilled prompt for the request's
 * first row there. Scheduler thread only.
 */
final class StagedPrompt implements AutoCloseable {
    private final RequestState owner;
    private final long[] prompt;
    private final Map<Lane, ChunkedPrefill> prefills = new LinkedHashMap<>();

    private StagedPrompt(RequestState owner, long[] prompt) {
        this.owner = owner;
        this.prompt = prompt;
    }

    /** A staging of {@code owner}'s prompt on {@code lanes}, no token run yet. */
    static StagedPrompt of(RequestState owner, List<Lane> lanes) throws OrtException {
        long[] prompt = owner.request().promptIds();
        StagedPrompt staged = new StagedPrompt(owner, prompt);
        try {
            for (Lane lane : lanes) {
                if (!staged.prefills.containsKey(lane)) {
                    staged.prefills.put(lane, ChunkedPrefill.start(lane.model(), prompt));
                }
            }
            return staged;
        } catch (OrtException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    RequestState owner() {
        return owner;
    }

    /** Prompt tokens not yet run (the same on every lane). */
    int remaining() {
        return prefills.isEmpty() ? 0 : prefills.values().iterator().next().remaining();
    }

    /** Runs the next {@code tokens} prompt tokens (at most what remains) on every lane; returns how many. */
    int advance(int tokens, LongSupplier passIds) throws OrtException {
        int chunk = Math.min(tokens, remaining());
        for (Map.Entry<Lane, ChunkedPrefill> entry : prefills.entrySet()) {
            Lane lane = entry.getKey();
            long start = System.nanoTime();
            entry.getValue().advance(chunk);
            owner.usage().record(lane.name(), lane.role(), passIds.getAsLong(), chunk, System.nanoTime() - start);
        }
        return chunk;
    }

    /** Gives each lane its prefilled prompt, once none remains; this staging owns nothing afterwards. */
    void handOver() {
        for (Map.Entry<Lane, ChunkedPrefill> entry : prefills.entrySet()) {
            entry.getKey().hold(owner, prompt, entry.getValue().finish());
        }
        prefills.clear();
    }

    @Override
    public void close() {
        prefills.values().forEach(ChunkedPrefill::close);
        prefills.clear();
    }
}
