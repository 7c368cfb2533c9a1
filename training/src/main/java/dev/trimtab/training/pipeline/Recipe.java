package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training recipe: everything {@code train pipeline} does, read from YAML and validated as a
 * whole (every error reported at once, with its path).
 *
 * @param name the recipe's name, written to manifests
 * @param seed the root of every random choice (data, initial weights, batch order, sampling)
 * @param data where the text comes from
 * @param tokenizerVocab the byte-level BPE vocabulary size (256 bytes, merges, one special token)
 * @param architectures decoder shapes by name
 * @param sampling how on-policy preference data is made
 * @param runs the models to train, in order (SFT runs before sampling, the others after)
 * @param evaluation which policies are compared at the end
 * @param sha256 hash of the recipe file's bytes
 * @param source the file it was read from
 */
public record Recipe(
        String name,
        long seed,
        DataSection data,
        int tokenizerVocab,
        Map<String, ArchitectureSection> architectures,
        SamplingSection sampling,
        List<RunSection> runs,
        EvaluationSection evaluation,
        String sha256,
        Path source) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Reads and validates {@code file}. */
    public static Recipe read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root = YAML.readTree(bytes);
        return parse(root, file, sha256(bytes));
    }

    static Recipe parse(JsonNode root, Path file, String sha256) {
        List<String> errors = new ArrayList<>();
        ConfigNode node = new ConfigNode(root, "", errors);
        node.onlyKeys(Set.of(
                "name", "seed", "data", "tokenizer", "architectures", "defaults", "sampling", "runs", "evaluation"));
        ConfigNode tokenizer = node.child("tokenizer");
        tokenizer.onlyKeys(Set.of("vocab_size"));
        ConfigNode defaultsNode = node.child("defaults");
        defaultsNode.onlyKeys(TrainingSection.KEYS);
        TrainingSection defaults = TrainingSection.read(defaultsNode, TrainingSection.DEFAULTS);
        List<RunSection> runs = new ArrayList<>();
        node.list("runs").forEach(run -> runs.add(RunSection.read(run, defaults)));
        Path base = file.toAbsolutePath().getParent();
        Recipe recipe = new Recipe(
                node.text("name", null),
                node.longValue("seed", 0),
                DataSection.read(node.child("data"), base),
                tokenizer.integer("vocab_size", 512, 257, 1 << 20),
                architectures(node.child("architectures")),
                SamplingSection.read(node.child("sampling")),
                List.copyOf(runs),
                EvaluationSection.read(node.child("evaluation")),
                sha256,
                file);
        recipe.crossCheck(errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("recipe " + file + " is invalid:\n  - " + String.join("\n  - ", errors));
        }
        return recipe;
    }

    private static Map<String, ArchitectureSection> architectures(ConfigNode node) {
        Map<String, ArchitectureSection> architectures = new LinkedHashMap<>();
        if (node.raw() != null && node.raw().isObject()) {
            node.raw()
                    .fieldNames()
                    .forEachRemaining(key -> architectures.put(key, ArchitectureSection.read(node.child(key))));
        }
        return architectures;
    }

    /** Checks the references between sections. */
    private void crossCheck(List<String> errors) {
        Map<String, RunSection> earlier = new LinkedHashMap<>();
        Set<String> exported = new HashSet<>();
        if (runs.isEmpty()) {
            errors.add("runs must list at least one run");
        }
        for (int i = 0; i < runs.size(); i++) {
            RunSection run = runs.get(i);
            String where = "runs[" + i + "] (" + run.name() + ")";
            checkRun(run, where, earlier, errors);
            if (run.name() != null && !exported.add(run.name())) {
                errors.add(where + ": the name " + run.name() + " is used twice");
            }
            if (run.withPast() != null && !exported.add(run.withPast())) {
                errors.add(where + ".also_export_with_past: the name " + run.withPast() + " is used twice");
            }
            for (String name : run.quantized().keySet()) {
                if (!exported.add(name)) {
                    errors.add(where + ".also_export_quantized: the name " + name + " is used twice");
                }
            }
            earlier.put(run.name(), run);
        }
        RunSection policy = earlier.get(sampling.policy());
        if (sampling.policy() != null
                && (policy == null || policy.objective() != ObjectiveKind.SFT || !policy.export())) {
            errors.add("sampling.policy must name an exported sft run (it is sampled through its ONNX export), got "
                    + sampling.policy());
        }
        for (String name : evaluation.policies()) {
            RunSection run = earlier.get(name);
            if (run == null || run.objective() == null || run.objective().scoreHead() || !run.export()) {
                errors.add("evaluation.policies: " + name + " is not an exported run with a language-model head");
            }
        }
    }

    private void checkRun(RunSection run, String where, Map<String, RunSection> earlier, List<String> errors) {
        if ((run.architecture() == null) == (run.init() == null)) {
            errors.add(where + " needs exactly one of architecture (fresh weights) and init (an earlier run)");
        }
        if (run.architecture() != null && !architectures.containsKey(run.architecture())) {
            errors.add(where + ".architecture " + run.architecture() + " is not one of " + architectures.keySet());
        }
        RunSection init = run.init() == null ? null : earlier.get(run.init());
        if (run.init() != null && init == null) {
            errors.add(where + ".init " + run.init() + " is not an earlier run; earlier runs: " + earlier.keySet());
        }
        if (init != null && run.objective() != null && init.objective() != null) {
            if (init.objective().scoreHead() && !run.objective().scoreHead()) {
                errors.add(where + ".init " + run.init() + " has a score head; a language model cannot start from it");
            }
            if (run.objective() == ObjectiveKind.SFT && init.objective() != ObjectiveKind.SFT) {
                errors.add(where + ": an sft run runs before sampling, so it can only start from another sft run");
            }
        }
        if (run.objective() != null && run.objective().needsSamples() && run.reward() == null) {
            errors.add(where + ".reward is required for objective "
                    + run.objective().recipeName());
        }
        if (run.withPast() != null && run.objective() != ObjectiveKind.REWARD_MODEL) {
            errors.add(where + ".also_export_with_past only applies to reward_model runs");
        }
        if (!run.quantized().isEmpty() && (run.objective() == ObjectiveKind.REWARD_MODEL || !run.export())) {
            errors.add(where + ".also_export_quantized applies to exported decoders with past (not reward_model"
                    + " runs, not export: false)");
        }
        if (run.objective() != null && run.objective().needsSamples() && sampling.policy() == null) {
            errors.add(where + " learns from on-policy samples, so sampling.policy is required");
        }
    }

    /** The architecture a run's weights have, following {@code init} back to a fresh run. */
    public ArchitectureSection architectureOf(RunSection run) {
        RunSection current = run;
        while (current.architecture() == null) {
            current = run(current.init());
        }
        return architectures.get(current.architecture());
    }

    /** The run called {@code name}. */
    public RunSection run(String name) {
        return runs.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run " + name));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
