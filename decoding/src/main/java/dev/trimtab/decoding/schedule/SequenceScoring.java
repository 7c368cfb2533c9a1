package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.strategy.ModelRole;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import java.util.Arrays;
import java.util.List;

/** Hands one batched scoring call's results back to the tickets, and its cost to their requests. */
final class SequenceScoring {
    private SequenceScoring() {}

    static void distribute(NamedRewardModel model, List<PendingScores> batch, float[] scores, long nanos, long pass) {
        long totalTokens = 0;
        for (PendingScores ticket : batch) {
            totalTokens += tokens(ticket);
        }
        int offset = 0;
        for (PendingScores ticket : batch) {
            int count = ticket.sequences().size();
            long tokens = tokens(ticket);
            ticket.complete(Arrays.copyOfRange(scores, offset, offset + count));
            ticket.owner().usage().record(model.name(), ModelRole.REWARD, pass, tokens, nanos * tokens / totalTokens);
            ticket.owner().usage().countScores(count);
            offset += count;
        }
    }

    private static long tokens(PendingScores ticket) {
        return ticket.sequences().stream()
                .mapToLong(sequence -> sequence.length)
                .sum();
    }
}
