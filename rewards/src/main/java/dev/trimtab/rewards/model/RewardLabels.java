package dev.trimtab.rewards.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.model.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The labels of a sequence classifier as its {@code config.json} declares them, and which one is the
 * reward. Hugging Face writes {@code id2label} ({@code {"0": "LABEL_0"}}), sometimes {@code
 * num_labels}, and {@code problem_type} ({@code regression}, {@code single_label_classification},
 * {@code multi_label_classification}); a reward model is usually one regression label.
 *
 * @param names the label of each index of the output, {@code LABEL_i} where none is declared
 * @param reward the index of the label whose logit is the reward
 * @param problemType {@code problem_type}, when declared
 */
public record RewardLabels(List<String> names, int reward, Optional<String> problemType) {

    /** A reward model of one label, as score-head decoders are. */
    public static final RewardLabels SINGLE = new RewardLabels(List.of("LABEL_0"), 0, Optional.empty());

    public RewardLabels {
        names = List.copyOf(names);
        if (reward < 0 || reward >= names.size()) {
            throw new IllegalArgumentException(
                    "reward label index must be in [0, " + names.size() + "), got " + reward);
        }
    }

    /** How many labels the output has. */
    public int count() {
        return names.size();
    }

    /**
     * Reads the labels of {@code directory/config.json} for a graph whose {@code logits} are {@code
     * [batch, width]}, with the reward label {@code choice} (an index, or a name of {@code
     * id2label}; index 0 when empty).
     *
     * @throws IllegalArgumentException naming the file and the rule: {@code id2label} keys not
     *     {@code 0..n-1}, {@code num_labels} disagreeing with {@code id2label} or with the graph's
     *     width, or a reward label that is out of range or not a declared name
     */
    public static RewardLabels read(Path directory, int width, Optional<String> choice) {
        Path file = directory.resolve("config.json");
        JsonNode config = JsonFiles.readRequired(file, "a reward model needs config.json");
        List<String> names = names(file, config, width);
        if (names.size() != width) {
            throw new IllegalArgumentException(file + " declares " + names.size() + " labels " + names + " but "
                    + directory.resolve(OnnxSequenceRewardModel.GRAPH_FILE) + " outputs logits [batch, " + width
                    + "]: the sequence-classification layout outputs logits [batch, num_labels]");
        }
        Optional<String> problemType = config.hasNonNull("problem_type")
                ? Optional.of(config.get("problem_type").asText())
                : Optional.empty();
        return new RewardLabels(names, rewardIndex(file, names, choice), problemType);
    }

    private static List<String> names(Path file, JsonNode config, int width) {
        JsonNode id2label = config.get("id2label");
        Optional<Integer> numLabels = config.hasNonNull("num_labels")
                ? Optional.of(config.get("num_labels").asInt(-1))
                : Optional.empty();
        List<String> names = new ArrayList<>();
        if (id2label != null && id2label.isObject() && !id2label.isEmpty()) {
            TreeMap<Integer, String> byIndex = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                byIndex.put(index(file, entry.getKey()), entry.getValue().asText());
            }
            // distinct keys from 0 up to size - 1 are exactly 0..size-1
            if (byIndex.firstKey() != 0 || byIndex.lastKey() != byIndex.size() - 1) {
                throw new IllegalArgumentException(file + ": id2label keys must be the indices 0.."
                        + (byIndex.size() - 1) + ", got " + byIndex.keySet());
            }
            names.addAll(byIndex.values());
            if (numLabels.isPresent() && numLabels.get() != names.size()) {
                throw new IllegalArgumentException(file + ": num_labels " + numLabels.get() + " disagrees with the "
                        + names.size() + " labels of id2label " + names);
            }
            return names;
        }
        int count = numLabels.orElse(width);
        if (count < 1) {
            throw new IllegalArgumentException(file + ": num_labels must be >= 1, got " + config.get("num_labels"));
        }
        for (int i = 0; i < count; i++) {
            names.add("LABEL_" + i);
        }
        return names;
    }

    private static int index(Path file, String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": id2label keys must be label indices, got \"" + key + "\"");
        }
    }

    private static int rewardIndex(Path file, List<String> names, Optional<String> choice) {
        if (choice.isEmpty()) {
            return 0;
        }
        String wanted = choice.get();
        if (wanted.matches("\\d{1,9}")) {
            int index = Integer.parseInt(wanted);
            if (index >= names.size()) {
                throw new IllegalArgumentException("reward label " + index + " is out of range: " + file + " declares "
                        + names.size() + " labels " + names + ", so the label must be in [0, " + names.size() + ")");
            }
            return index;
        }
        int index = names.indexOf(wanted);
        if (index < 0) {
            throw new IllegalArgumentException("reward label \"" + wanted + "\" is not a label of " + file
                    + ": it must be an index in [0, " + names.size() + ") or one of id2label's names " + names);
        }
        return index;
    }

    /**
     * The output as probabilities, as Hugging Face's text-classification pipeline applies them: none
     * for {@code regression}, a sigmoid per label for {@code multi_label_classification} or a single
     * label, otherwise a softmax over the labels.
     */
    public double[] activate(float[] logits) {
        double[] out = new double[logits.length];
        if (problemType.filter("regression"::equals).isPresent()) {
            for (int i = 0; i < out.length; i++) out[i] = logits[i];
        } else if (problemType.filter("multi_label_classification"::equals).isPresent() || logits.length == 1) {
            for (int i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-(double) logits[i]));
        } else {
            double max = Double.NEGATIVE_INFINITY;
            for (float logit : logits) max = Math.max(max, logit);
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.exp(logits[i] - max);
                sum += out[i];
            }
            for (int i = 0; i < out.length; i++) out[i] /= sum;
        }
        return out;
    }
}
