package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.schedule.DecodeResult;
import dev.trimtab.decoding.schedule.ModelUsage;
import dev.trimtab.decoding.strategy.Candidate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code alignment} field of a response: the strategy, and its accounting summed over the
 * request's choices: forward passes, tokens and milliseconds per model (with its role), tokens
 * scored by reward models, candidates alive per round (one list per choice, for strategies that
 * reject candidates as they go), and the reward-model candidates of each choice with their scores.
 */
final class AlignmentReport {
    private AlignmentReport() {}

    static ObjectNode of(String strategy, List<DecodeResult> results) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("strategy", strategy);
        ObjectNode models = report.putObject("models");
        totals(results).forEach((name, usage) -> {
            ObjectNode model = models.putObject(name);
            model.put("role", usage.role().wireName());
            model.put("forward_passes", usage.forwardPasses());
            model.put("tokens", usage.tokens());
            model.put("time_ms", usage.nanos() / 1e6);
        });
        report.put(
                "reward_scores",
                results.stream().mapToLong(r -> r.accounting().rewardScores()).sum());
        if (results.stream().anyMatch(r -> !r.accounting().candidatesPerRound().isEmpty())) {
            ArrayNode alive = report.putArray("candidates_per_round");
            for (DecodeResult result : results) {
                result.accounting().candidatesPerRound().forEach(alive.addArray()::add);
            }
        }
        ArrayNode candidates = report.putArray("candidates");
        for (DecodeResult result : results) {
            if (result.candidates().isEmpty()) continue;
            ObjectNode choice = candidates.addObject();
            choice.put("chosen", result.chosen());
            ArrayNode list = choice.putArray("scored");
            for (Candidate candidate : result.candidates()) {
                list.addObject().put("text", candidate.completion().text()).put("reward", candidate.reward());
            }
        }
        return report;
    }

    private static Map<String, ModelUsage> totals(List<DecodeResult> results) {
        Map<String, ModelUsage> totals = new LinkedHashMap<>();
        for (DecodeResult result : results) {
            result.accounting()
                    .models()
                    .forEach((name, usage) -> totals.merge(
                            name,
                            usage,
                            (a, b) -> new ModelUsage(
                                    a.role(),
                                    a.forwardPasses() + b.forwardPasses(),
                                    a.tokens() + b.tokens(),
                                    a.nanos() + b.nanos())));
        }
        return totals;
    }
}
