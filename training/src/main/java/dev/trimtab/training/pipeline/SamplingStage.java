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
        Split pairs = new Split();
        Split values = new Split();
        double sum = 0;
        for (List<Integer> group : byPrompt(samples)) {
            boolean heldout = samples.get(group.get(0)).promptIndex() >= heldoutFrom;
            for (int i : group) {
                PolicySampler.Sample sample = samples.get(i);
                double value = scores.get(i).get(reward);
                sum += value;
                if (!sample.completion().text().isBlank()) {
                    values.get(heldout)
                            .add(JsonlFile.row(
                                    "prompt",
                                    sample.prompt(),
                                    "completion",
                                    sample.completion().text(),
                                    "reward",
                                    value));
                }
            }
            Map<String, Object> pair = pair(samples, scores, reward, group, minGap);
            if (pair != null) {
                pairs.get(heldout).add(pair);
            }
        }
        JsonlFile.write(preferences(directory, reward, false), pairs.train);
        JsonlFile.write(preferences(directory, reward, true), pairs.heldout);
        JsonlFile.write(rewards(directory, reward, false), values.train);
        JsonlFile.write(rewards(directory, reward, true), values.heldout);
        ObjectNode counts = JsonNodeFactory.instance.objectNode();
        counts.put("mean", sum / samples.size());
        counts.put("pairs_train", pairs.train.size());
        counts.put("pairs_heldout", pairs.heldout.size());
        return counts;
    }

    /** The best and the worst completion of one prompt, or null when they are too close or blank. */
    private static Map<String, Object> pair(
            List<PolicySampler.Sample> samples,
            List<Map<String, Double>> scores,
            String reward,
            List<Integer> group,
            double minGap) {
        int best = group.get(0);
        int worst = group.get(0);
        for (int i : group) {
            best = scores.get(i).get(reward) > scores.get(best).get(reward) ? i : best;
            worst = scores.get(i).get(reward) < scores.get(worst).get(reward) ? i : worst;
        }
        String chosen = samples.get(best).completion().text();
        String rejected = samples.get(worst).completion().text();
        double gap = scores.get(best).get(reward) - scores.get(worst).get(reward);
        if (gap < minGap || chosen.equals(rejected) || chosen.isBlank() || rejected.isBlank()) {
            return null;
        }
        return JsonlFile.row("prompt", samples.get(best).prompt(), "chosen", chosen, "rejected", rejected);
    }

    /** Sample indices grouped by prompt (samples come prompt by prompt). */
    private static List<List<Integer>> byPrompt(List<PolicySampler.Sample> samples) {
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (i == 0 || samples.get(i).promptIndex() != samples.get(i - 1).promptIndex()) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(i);
        }
        return groups;
    }

    /** Rows of the training prompts and of the held-out ones. */
    private static final class Split {
        final List<Map<String, Object>> train = new ArrayList<>();
        final List<Map<String, Object>> heldout = new ArrayList<>();

        List<Map<String, Object>> get(boolean held) {
            return held ? heldout : train;
        }
    }
}
