package dev.trimtab.decoding.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The token-to-id table of a {@code tokenizer.json}, read with Jackson because DJL exposes neither
 * the vocabulary size nor token lookups: {@code model.vocab} (an object of token to id for BPE,
 * WordPiece and WordLevel; an array of {@code [piece, score]} whose index is the id for Unigram)
 * plus {@code added_tokens}.
 */
final class TokenizerVocabulary {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Integer> ids;
    private final BitSet special;
    private final int size;
    private final int longestToken;
    private final List<String> added;
    private final String[] spellings;
    private final boolean byteLevel;
    private final boolean byteFallback;

    private TokenizerVocabulary(
            Map<String, Integer> ids, BitSet special, int size, boolean byteLevel, boolean byteFallback) {
        this.ids = ids;
        this.special = special;
        this.size = size;
        this.byteLevel = byteLevel;
        this.byteFallback = byteFallback;
        this.spellings = new String[size];
        ids.forEach((token, id) -> spellings[id] = token);
        this.longestToken = ids.keySet().stream().mapToInt(String::length).max().orElse(1);
        this.added = ids.entrySet().stream()
                .filter(entry -> special.get(entry.getValue()))
                .map(Map.Entry::getKey)
                .filter(token -> !token.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** The spellings of the tokens marked special, longest first. */
    List<String> specialTokens() {
        return added;
    }

    /** The length in chars of the longest vocabulary entry or added token (at least 1). */
    int longestToken() {
        return Math.max(1, longestToken);
    }

    /** Reads {@code file}; every failure is an {@link IllegalArgumentException} naming it. */
    static TokenizerVocabulary read(Path file) {
        JsonNode root = parse(file);
        Map<String, Integer> ids = new HashMap<>();
        readModelVocab(file, root.path("model").path("vocab"), ids);
        BitSet special = new BitSet();
        readAddedTokens(file, root.path("added_tokens"), ids, special);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        return new TokenizerVocabulary(
                Map.copyOf(ids),
                special,
                size,
                decodesByteLevel(root.path("decoder")),
                root.path("model").path("byte_fallback").asBoolean(false));
    }

    /** Whether the decoder, or one of a {@code Sequence} decoder's, is {@code ByteLevel}. */
    private static boolean decodesByteLevel(JsonNode decoder) {
        if ("ByteLevel".equals(decoder.path("type").asText())) {
            return true;
        }
        for (JsonNode inner : decoder.path("decoders")) {
            if (decodesByteLevel(inner)) {
                return true;
            }
        }
        return false;
    }

    /** How {@code id} is spelled in the file, if it is one of its ids. */
    Optional<String> spelling(long id) {
        return id >= 0 && id < size ? Optional.ofNullable(spellings[(int) id]) : Optional.empty();
    }

    /** Whether tokens spell bytes in GPT-2's byte-level alphabet (a {@code ByteLevel} decoder). */
    boolean byteLevel() {
        return byteLevel;
    }

    /** Whether the model falls back to byte tokens {@code <0xNN>} (SentencePiece's byte fallback). */
    boolean byteFallback() {
        return byteFallback;
    }

    /** One more than the largest id. */
    int size() {
        return size;
    }

    OptionalLong idOf(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /**
     * The first token of this vocabulary that {@code other} spells with another id (or lacks), if
     * any: empty when every token of this vocabulary has the same id in {@code other}.
     */
    Optional<String> firstDisagreement(TokenizerVocabulary other) {
        return ids.entrySet().stream()
                .filter(entry -> !entry.getValue().equals(other.ids.get(entry.getKey())))
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst();
    }

    boolean isSpecial(long id) {
        return id >= 0 && id < size && special.get((int) id);
    }

    private static JsonNode parse(Path file) {
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException(file + " must hold a JSON object (a Hugging Face tokenizer.json)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void readModelVocab(Path file, JsonNode vocab, Map<String, Integer> ids) {
        if (vocab.isObject()) {
            vocab.properties()
                    .forEach(entry -> ids.put(
                            entry.getKey(), id(file, entry.getValue(), "model.vocab[\"" + entry.getKey() + "\"]")));
        } else if (vocab.isArray()) {
            for (int id = 0; id < vocab.size(); id++) {
                ids.putIfAbsent(vocab.get(id).path(0).asText(), id);
            }
        } else {
            throw new IllegalArgumentException(
                    file + " has no model.vocab (an object of token to id, or Unigram's array of [piece, score])");
        }
    }

    private static void readAddedTokens(Path file, JsonNode added, Map<String, Integer> ids, BitSet special) {
        for (int i = 0; i < added.size(); i++) {
            JsonNode token = added.get(i);
            String where = "added_tokens[" + i + "]";
            int id = id(file, token.path("id"), where + ".id");
            if (!token.path("content").isTextual()) {
                throw new IllegalArgumentException(
                        file + ": " + where + ".content must be a string, got " + token.path("content"));
            }
            ids.put(token.path("content").asText(), id);
            special.set(id, token.path("special").asBoolean(false));
        }
    }

    private static int id(Path file, JsonNode value, String field) {
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 0) {
            throw new IllegalArgumentException(
                    file + ": " + field + " must be a non-negative integer id, got " + value);
        }
        return value.intValue();
    }
}
