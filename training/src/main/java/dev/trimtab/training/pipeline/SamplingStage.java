package dev.trimtab.training.pipeline;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.rewards.gold.GoldReward;
import dev.trimtab.rewards.gold.GoldRewards;
import dev.trimtab.training.data.JsonlFile;
import dev.trimtab.training.data.Records;
import dev.trimtab.training.train.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 4: on-policy preference data. The SFT policy, exported, samples completions of the
 * sampling prompts; every gold reward scores every completion; for each reward, each prompt's best
 * and worst completion become a preference pair when their rewards differ by at least {@code
 * min_reward_gap}. The last {@code heldout_fraction} of the prompts are held out. Files (JSONL):
 *
 * <ul>
 *   <li>{@code samples.jsonl}: {@code {"prompt","completion","prompt_index","sample","finish_reason",
 *       "rewards":{...}}};
 *   <li>{@code preferences-REWARD-{train,heldout}.jsonl}: {@code {"prompt","chosen","rejected"}};
 *   <li>{@code rewards-REWARD-{train,heldout}.jsonl}: {@code {"prompt","completion","reward"}}.
 * </ul>
 */
final class SamplingStage {
    static final String NAME = "samples";

    private SamplingStage() {}

    static Path preferences(Path directory, String reward, boolean heldout) {
        return directory.resolve("preferences-" + reward + (heldout ? "-heldout" : "-train") + ".jsonl");
    }

    static Path rewards(Path directory, String reward, boolean heldout) {
        return directory.resolve("rewards-" + reward + (heldout ? "-heldout" : "-train") + ".jsonl");
    }

    static Path run(
            Recipe recipe, Workspace workspace, Corpus corpus, Path policy, ProgressBar.Mode progress, PrintStream out)
            throws IOException, OrtException {
        Path directory = workspace.stage(NAME);
        if (workspace.done(NAME).isPresent()) {
            return directory;
        }
        SamplingSection settings = recipe.sampling();
        List<String> prompts =
                corpus.samplingPrompts().stream().map(Records.Prompt::prompt).toList();
        List<PolicySampler.Sample> samples = PolicySampler.sample(
                policy,
                prompts,
                settings.samplesPerPrompt(),
                settings,
                Seeds.derive(recipe.seed(), "sampling"),
                "sampling " + settings.policy(),
                progress,
                out);
        List<Map<String, Double>> scores = score(samples);
        JsonlFile.write(directory.resolve("samples.jsonl"), sampleRows(samples, scores));
        int heldoutFrom = (int) Math.ceil(prompts.size() * (1 - settings.heldoutFraction()));
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        for (String reward : GoldRewards.names()) {
            summary.set(reward, writeReward(directory, reward, samples, scores, heldoutFrom, settings.minRewardGap()));
        }
        workspace.markDone(NAME, summary);
        out.println("samples: " + summary);
        return directory;
    }

    private static List<Map<String, Double>> score(List<PolicySampler.Sample> samples) {
        List<Map<String, Double>> scores = new ArrayList<>(samples.size());
        for (PolicySampler.Sample sample : samples) {
            Map<String, Double> rewards = new LinkedHashMap<>();
            for (String name : GoldRewards.names()) {
                GoldReward reward = GoldRewards.byName(name);
                rewards.put(
                        name, reward.score(sample.prompt(), sample.completion().text()));
            }
            scores.add(rewards);
        }
        return scores;
    }

    private static List<Map<String, Object>> sampleRows(
            List<PolicySampler.Sample> samples, List<Map<String, Double>> scores) {
        List<Map<String, Object>> rows = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            PolicySampler.Sample sample = samples.get(i);
            rows.add(JsonlFile.row(
                    "prompt", sample.prompt(),
                    "completion", sample.completion().text(),
                    "prompt_index", sample.promptIndex(),
                    "sample", sample.sampleIndex(),
                    "finish_reason", sample.completion().finishReason().wireName(),
                    "rewards", scores.get(i)));
        }
        return rows;
    }

    /** Writes one reward's pair and regression files; returns their counts. */
    private static ObjectNode writeReward(
            Path directory,
            String reward,
            List<PolicySampler.Sample> samples,
            List<Map<String, Double>> scores,
            int heldoutFrom,
            double minGap)
            throws IOException {
        Map<Boolean, List<Map<String, Object>>> pairs = Map.of(false, new ArrayList<>(), true, new ArrayList<>());
        Map<Boolean, List<Map<String, Object>>> values = Map.of(false, new ArrayList<>(), true, new ArrayList<>());
        double sum = 0;
        int from = 0;
        while (from < samples.size()) {
            int to = from;
            while (to < samples.size()
                    && samples.get(to).promptIndex() == samples.get(from).promptIndex()) {
                to++;
            }
            boolean heldout = samples.get(from).promptIndex() >= heldoutFrom;
            int best = from;
            int worst = from;
            for (int i = from; i < to; i++) {
                double value = scores.get(i).get(reward);
                sum += value;
                best = value > scores.get(best).get(reward) ? i : best;
                worst = value < scores.get(worst).get(reward) ? i : worst;
                values.get(heldout)
                        .add(JsonlFile.row(
                                "prompt",
                                samples.get(i).prompt(),
                                "completion",
                                samples.get(i).completion().text(),
                                "reward",
                                value));
            }
            String chosen = samples.get(best).completion().text();
            String rejected = samples.get(worst).completion().text();
            double gap = scores.get(best).get(reward) - scores.get(worst).get(reward);
            if (gap >= minGap && !chosen.equals(rejected) && !chosen.isBlank() && !rejected.isBlank()) {
                pairs.get(heldout)
                        .add(JsonlFile.row(
                                "prompt", samples.get(from).prompt(), "chosen", chosen, "rejected", rejected));
            }
            from = to;
        }
        JsonlFile.write(preferences(directory, reward, false), pairs.get(false));
        JsonlFile.write(preferences(directory, reward, true), pairs.get(true));
        JsonlFile.write(rewards(directory, reward, false), nonBlank(values.get(false)));
        JsonlFile.write(rewards(directory, reward, true), nonBlank(values.get(true)));
        ObjectNode counts = JsonNodeFactory.instance.objectNode();
        counts.put("mean", sum / samples.size());
        counts.put("pairs_train", pairs.get(false).size());
        counts.put("pairs_heldout", pairs.get(true).size());
        return counts;
    }

    /** Rows whose completion says something: the reward format requires a non-blank completion. */
    private static List<Map<String, Object>> nonBlank(List<Map<String, Object>> rows) {
        return rows.stream()
                .filter(row -> !((String) row.get("completion")).isBlank())
                .toList();
    }
}
