package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.ModelRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Accumulates one request's {@link Accounting} as its rows take part in passes. */
final class UsageMeter {
    private final Map<String, Counter> models = new LinkedHashMap<>();
    private final List<Integer> candidatesPerRound = new ArrayList<>();
    private long rewardScores;

    /** The request took part in pass {@code pass} of {@code model} with {@code tokens} tokens. */
    void record(String model, ModelRole role, long pass, long tokens, long nanos) {
        Counter counter = models.computeIfAbsent(model, key -> new Counter(role));
        if (counter.lastPass != pass) {
            counter.lastPass = pass;
            counter.passes++;
        }
        counter.tokens += tokens;
        counter.nanos += nanos;
    }

    void countScores(long scores) {
        rewardScores += scores;
    }

    void countCandidates(int alive) {
        candidatesPerRound.add(alive);
    }

    Accounting snapshot() {
        Map<String, ModelUsage> usage = new LinkedHashMap<>();
        models.forEach((name, counter) ->
                usage.put(name, new ModelUsage(counter.role, counter.passes, counter.tokens, counter.nanos)));
        return new Accounting(usage, rewardScores, candidatesPerRound);
    }

    private static final class Counter {
        private final ModelRole role;
        private long lastPass = -1;
        private long passes;
        private long tokens;
        private long nanos;

        Counter(ModelRole role) {
            this.role = role;
        }
    }
}
