package dev.trimtab.training.objective;

import ai.djl.ndarray.NDArray;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.PaddedBatch;
import dev.trimtab.training.model.StepScope;
import java.util.ArrayList;
import java.util.List;

/** Preference pairs as one padded batch: the chosen sequences in rows {@code [0, n)}, the rejected in {@code [n, 2n)}. */
record PairBatch(PaddedBatch padded, int pairs) {

    static PairBatch of(StepScope step, List<PreferencePair> batch, long pad) {
        List<TokenSequence> rows = new ArrayList<>(2 * batch.size());
        batch.forEach(pair -> rows.add(pair.chosen()));
        batch.forEach(pair -> rows.add(pair.rejected()));
        return new PairBatch(PaddedBatch.of(step, rows, pad), batch.size());
    }

    NDArray chosen(NDArray perRow) {
        return perRow.get("0:" + pairs);
    }

    NDArray rejected(NDArray perRow) {
        return perRow.get(pairs + ":");
    }
}
