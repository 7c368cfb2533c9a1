package dev.trimtab.decoding.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the engine needs from a model's {@code config.json} (and {@code generation_config.json}):
 * the cache geometry and the end-of-sequence ids. Reads the key names of GPT-2
 * ({@code n_layer}, {@code n_head}, {@code n_embd}, {@code n_positions}) and of Llama, Qwen2 and
 * Mistral ({@code num_hidden_layers}, {@code num_attention_heads}, {@code num_key_value_heads},
 * {@code hidden_size}, {@code head_dim}, {@code max_position_embeddings}).
 *
 * @param modelType {@code model_type}, e.g. {@code gpt2} or {@code llama}
 * @param layers number of decoder layers
 * @param attentionHeads number of query heads
 * @param keyValueHeads number of key/value heads (equal to attentionHeads without grouped-query
 *     attention)
 * @param headDim size of one head
 * @param vocabSize rows of the output projection
 * @param contextLength longest sequence (prompt plus completion) the model accepts
 * @param eosTokenIds ids that end a sequence, from both config files
 * @param bosTokenId id prepended by some tokenizers, when declared
 */
public record ModelConfig(
        String modelType,
        int layers,
        int attentionHeads,
        int keyValueHeads,
        int headDim,
        int vocabSize,
        int contextLength,
        Set<Long> eosTokenIds,
        OptionalInt bosTokenId) {

    public ModelConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /** Reads {@code config.json} and, when present, {@code generation_config.json} from a model directory. */
    public static ModelConfig read(Path modelDirectory) {
        Path configFile = modelDirectory.resolve("config.json");
        JsonNode config = JsonFiles.readRequired(configFile, "a model directory needs config.json");
        ConfigReader reader = new ConfigReader(configFile, config);
        int layers = reader.requiredInt(0, "num_hidden_layers", "n_layer");
        int heads = reader.requiredInt(1, "num_attention_heads", "n_head");
        int kvHeads = reader.optionalInt("num_key_value_heads", "multi_query_group_num")
                .orElse(heads);
        int headDim =
                reader.optionalInt("head_dim").orElseGet(() -> reader.requiredInt(1, "hidden_size", "n_embd") / heads);
        int vocab = reader.requiredInt(1, "vocab_size");
        int context = reader.requiredInt(1, "max_position_embeddings", "n_positions", "n_ctx");
        Set<Long> eos = new LinkedHashSet<>(reader.idList("eos_token_id"));
        Path generationFile = modelDirectory.resolve("generation_config.json");
        JsonFiles.readOptional(generationFile)
                .ifPresent(
                        generation -> eos.addAll(new ConfigReader(generationFile, generation).idList("eos_token_id")));
        reader.throwIfInvalid();
        if (kvHeads > heads || heads % kvHeads != 0) {
            throw new IllegalArgumentException(configFile + ": num_key_value_heads (" + kvHeads
                    + ") must divide num_attention_heads (" + heads + ")");
        }
        return new ModelConfig(
                config.path("model_type").asText("unknown"),
                layers,
                heads,
                kvHeads,
                headDim,
                vocab,
                context,
                eos,
                reader.optionalInt(0, "bos_token_id"));
    }

    /** Reads integer fields under any of several key names, collecting every error. */
    private static final class ConfigReader {
        private final Path file;
        private final JsonNode json;
        private final List<String> errors = new ArrayList<>();

        ConfigReader(Path file, JsonNode json) {
            this.file = file;
            this.json = json;
        }

        int requiredInt(int min, String... keys) {
            OptionalInt value = optionalInt(min, keys);
            if (value.isEmpty()) {
                errors.add("missing " + String.join(" or ", keys) + " (an integer >= " + min + ")");
                return Math.max(min, 1);
            }
            return value.getAsInt();
        }

        OptionalInt optionalInt(String... keys) {
            return optionalInt(1, keys);
        }

        OptionalInt optionalInt(int min, String... keys) {
            for (String key : keys) {
                JsonNode node = json.get(key);
                if (node == null || node.isNull()) {
                    continue;
                }
                if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min) {
                    errors.add(key + " must be an integer >= " + min + ", got " + node);
                    return OptionalInt.empty();
                }
                return OptionalInt.of(node.asInt());
            }
            return OptionalInt.empty();
        }

        List<Long> idList(String key) {
            JsonNode node = json.get(key);
            List<Long> ids = new ArrayList<>();
            if (node == null || node.isNull()) {
                return ids;
            }
            for (JsonNode id : node.isArray() ? node : List.of(node)) {
                if (!id.isIntegralNumber() || id.asLong() < 0) {
                    errors.add(key + " must be a non-negative integer or a list of them, got " + node);
                    return ids;
                }
                ids.add(id.asLong());
            }
            return ids;
        }

        void throwIfInvalid() {
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(file + ": " + String.join("; ", errors));
            }
        }
    }
}
