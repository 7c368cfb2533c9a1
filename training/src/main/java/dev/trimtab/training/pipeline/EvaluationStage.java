package dev.trimtab.training.pipeline;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.rewards.gold.GoldRewards;
import dev.trimtab.training.data.JsonlFile;
import dev.trimtab.training.data.Records;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The last stage: each evaluated policy (exported) samples the held-out evaluation prompts with
 * the same seeds, and the mean of every gold reward and of the completion length is reported per
 * policy: the measure of whether alignment worked (the DPO policy's mean positivity against the
 * SFT policy's).
 */
final class EvaluationStage {
    static final String NAME = "evaluation";

    private EvaluationStage() {}

    static JsonNode run(PipelineContext context) throws IOException, OrtException {
        Optional<JsonNode> done = context.workspace().done(NAME);
        if (done.isPresent()) {
            return done.get();
        }
        Recipe recipe = context.recipe();
        Path directory = context.workspace().stage(NAME);
        List<String> prompts = context.corpus().evalPrompts().stream()
                .map(Records.Prompt::prompt)
                .toList();
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("prompts", prompts.size());
        summary.put("samples_per_prompt", recipe.evaluation().samplesPerPrompt());
        ObjectNode policies = summary.putObject("policies");
        for (String policy : recipe.evaluation().policies()) {
            List<PolicySampler.Sample> samples = PolicySampler.sample(
                    context.bundle().resolve(policy),
                    prompts,
                    recipe.evaluation().samplesPerPrompt(),
                    recipe.sampling(),
                    Seeds.derive(recipe.seed(), "evaluation"),
                    "evaluate " + policy,
                    context.progress(),
                    context.out());
            policies.set(policy, means(samples, directory.resolve(policy + "-samples.jsonl")));
        }
        context.workspace().markDone(NAME, summary);
        print(summary, context.out());
        return summary;
    }

    private static ObjectNode means(List<PolicySampler.Sample> samples, Path file) throws IOException {
        ObjectNode means = JsonNodeFactory.instance.objectNode();
        List<Map<String, Object>> rows = new ArrayList<>(samples.size());
        double tokens = 0;
        for (String name : GoldRewards.names()) {
            double sum = 0;
            for (PolicySampler.Sample sample : samples) {
                sum += GoldRewards.byName(name)
                        .score(sample.prompt(), sample.completion().text());
            }
            means.put(name, sum / samples.size());
        }
        for (PolicySampler.Sample sample : samples) {
            tokens += sample.completion().completionTokens();
            rows.add(JsonlFile.row(
                    "prompt", sample.prompt(), "completion", sample.completion().text()));
        }
        means.put("completion_tokens", tokens / samples.size());
        JsonlFile.write(file, rows);
        return means;
    }

    private static void print(JsonNode summary, PrintStream out) {
        summary.path("policies").properties().forEach(entry -> {
            StringBuilder line = new StringBuilder("evaluation " + entry.getKey() + ":");
            entry.getValue()
                    .properties()
                    .forEach(metric -> line.append(String.format(
                            Locale.ROOT,
                            " %s %.4f",
                            metric.getKey(),
                            metric.getValue().asDouble())));
            out.println(line);
        });
    }
}
