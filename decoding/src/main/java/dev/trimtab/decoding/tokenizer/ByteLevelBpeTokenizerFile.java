package dev.trimtab.decoding.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A byte-level BPE tokenizer in GPT-2's layout, written as a Hugging Face {@code tokenizer.json}:
 * model {@code BPE} with vocab and merges, {@code ByteLevel} pre-tokenizer (no prefix space, GPT-2
 * regex), decoder and post-processor (offsets not trimmed), no normalizer, and the special tokens
 * as {@code added_tokens} marked {@code special}.
 *
 * <p>Ids are assigned in a fixed order: {@code 0..255} are the byte symbols (id {@code b} is
 * {@link ByteLevelAlphabet#charOf(int) charOf(b)}), then one id per merge result in merge order (a
 * result that an earlier merge already produced keeps its id, as Hugging Face's trainer does), then
 * the special tokens. Every merge may only join symbols that exist before it, so the merge list
 * doubles as the ranking the BPE model applies.
 */
public final class ByteLevelBpeTokenizerFile {

    /** The file name a model directory holds the tokenizer under. */
    public static final String FILE_NAME = "tokenizer.json";

    /** The end-of-text token GPT-2 uses; the demo tokenizer's only special token. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One BPE merge: the adjacent symbols {@code left} and {@code right} (strings over {@link
     * ByteLevelAlphabet}) become the symbol {@code left + right}.
     */
    public record Merge(String left, String right) {
        public Merge {
            Objects.requireNonNull(left, "merge left part");
            Objects.requireNonNull(right, "merge right part");
        }

        /** The symbol this merge produces. */
        public String result() {
            return left + right;
        }

        /** The {@code merges.txt} / {@code tokenizer.json} spelling: both parts, space-separated. */
        @Override
        public String toString() {
            return left + " " + right;
        }
    }

    private final List<Merge> merges;
    private final List<String> specialTokens;
    private final Map<String, Integer> vocabulary;

    /**
     * Validates {@code merges} (in rank order) and {@code specialTokens} and assigns ids.
     *
     * @throws IllegalArgumentException naming the index of the first merge or special token that
     *     breaks a rule
     */
    public ByteLevelBpeTokenizerFile(List<Merge> merges, List<String> specialTokens) {
        this.merges = List.copyOf(merges);
        this.specialTokens = List.copyOf(specialTokens);
        this.vocabulary = Collections.unmodifiableMap(buildVocabulary(this.merges, this.specialTokens));
    }

    /**
     * A small tokenizer for tests and random-weight fixtures: about 40 merges of common English
     * pieces, a few partial UTF-8 sequences (so CJK characters and emoji split across multi-byte
     * tokens), and {@value #END_OF_TEXT}.
     */
    public static ByteLevelBpeTokenizerFile demo() {
        return new ByteLevelBpeTokenizerFile(DemoMerges.MERGES, List.of(END_OF_TEXT));
    }

    public List<Merge> merges() {
        return merges;
    }

    public List<String> specialTokens() {
        return specialTokens;
    }

    /** Symbol to id, iterating in id order. */
    public Map<String, Integer> vocabulary() {
        return vocabulary;
    }

    /** Number of ids: 256 byte symbols, the distinct merge results and the special tokens. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of a special token, e.g. {@value #END_OF_TEXT}; fails when it is not one. */
    public int specialTokenId(String token) {
        if (!specialTokens.contains(token)) {
            throw new IllegalArgumentException(
                    "\"" + token + "\" is not a special token of this tokenizer; it has " + specialTokens);
        }
        return vocabulary.get(token);
    }

    /** Writes the {@code tokenizer.json} atomically to {@code tokenizerJson}, and nothing else. */
    public void write(Path tokenizerJson) throws IOException {
        AtomicFiles.write(tokenizerJson, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    }

    private ObjectNode toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.set("added_tokens", addedTokens());
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(true));
        root.set("post_processor", byteLevel(false));
        root.set("decoder", byteLevel(true));
        root.set("model", model());
        return root;
    }

    private ArrayNode addedTokens() {
        ArrayNode tokens = MAPPER.createArrayNode();
        for (String token : specialTokens) {
            ObjectNode added = tokens.addObject();
            added.put("id", vocabulary.get(token));
            added.put("content", token);
            added.put("single_word", false);
            added.put("lstrip", false);
            added.put("rstrip", false);
            added.put("normalized", false);
            added.put("special", true);
        }
        return tokens;
    }

    /** The ByteLevel component; {@code trimOffsets} is false only for the post-processor. */
    private static ObjectNode byteLevel(boolean trimOffsets) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", trimOffsets);
        node.put("use_regex", true);
        return node;
    }

    private ObjectNode model() {
        ObjectNode model = MAPPER.createObjectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        vocabulary.forEach(vocab::put);
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(merge -> mergeList.add(merge.toString()));
        return model;
    }

    private static Map<String, Integer> buildVocabulary(List<Merge> merges, List<String> specialTokens) {
        Map<String, Integer> vocabulary = new LinkedHashMap<>();
        for (int b = 0; b < ByteLevelAlphabet.SIZE; b++) {
            vocabulary.put(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        }
        Map<Merge, Integer> seen = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            Merge merge = merges.get(i);
            checkMerge(i, merge, vocabulary, seen);
            vocabulary.putIfAbsent(merge.result(), vocabulary.size());
        }
        for (int i = 0; i < specialTokens.size(); i++) {
            checkSpecialToken(i, specialTokens.get(i), vocabulary);
            vocabulary.put(specialTokens.get(i), vocabulary.size());
        }
        return vocabulary;
    }

    private static void checkMerge(int index, Merge merge, Map<String, Integer> vocabulary, Map<Merge, Integer> seen) {
        for (String part : List.of(merge.left(), merge.right())) {
            if (!vocabulary.containsKey(part)) {
                throw new IllegalArgumentException(("merges[%d] (\"%s\" + \"%s\"): part \"%s\" is not in the"
                                + " vocabulary built so far; a merge may only join byte symbols and results of"
                                + " earlier merges")
                        .formatted(index, merge.left(), merge.right(), part));
            }
        }
        Integer earlier = seen.putIfAbsent(merge, index);
        if (earlier != null) {
            throw new IllegalArgumentException(
                    "merges[%d] (\"%s\" + \"%s\") repeats merges[%d]; each pair may be merged once"
                            .formatted(index, merge.left(), merge.right(), earlier));
        }
    }

    private static void checkSpecialToken(int index, String token, Map<String, Integer> vocabulary) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("specialTokens[" + index + "] is empty; a special token needs text");
        }
        Integer existing = vocabulary.get(token);
        if (existing != null) {
            throw new IllegalArgumentException(("specialTokens[%d] \"%s\" is already in the vocabulary as id %d;"
                            + " special tokens must differ from byte symbols, merge results and each other")
                    .formatted(index, token, existing));
        }
    }

    /** The demo merges, in rank order. */
    private static final class DemoMerges {
        static final List<Merge> MERGES = build();

        private static List<Merge> build() {
            List<Merge> merges = new ArrayList<>();
            String[] english = {
                "Ġ t", "Ġ a", "t h", "h e", "i n", "e r", "a n", "o n", "r e", "e n", "a t", "o u", "e d", "i s", "Ġ s",
                "th e", "Ġt he", "i t", "o r", "e s", "Ġ w", "Ġ o", "Ġ c", "in g", "Ġa n", "Ġan d", "Ġ i", "Ġi n",
                "Ġo f", "Ġt o", "l l", "Ġ Ġ", "Ċ Ċ"
            };
            for (String pair : english) {
                String[] parts = pair.split(" ");
                merges.add(new Merge(parts[0], parts[1]));
            }
            // Partial UTF-8 sequences: CJK lead bytes E4 B8 (中, 不, 为...), the emoji prefix F0 9F 98
            // (U+1F600..U+1F63F), a token that starts mid-character (98 80) and é (C3 A9).
            merges.add(bytes(0xE4, 0xB8));
            merges.add(new Merge("Ġ", symbols(0xE4)));
            merges.add(bytes(0xF0, 0x9F));
            merges.add(new Merge(symbols(0xF0, 0x9F), symbols(0x98)));
            merges.add(bytes(0x98, 0x80));
            merges.add(bytes(0xC3, 0xA9));
            return List.copyOf(merges);
        }

        private static Merge bytes(int left, int right) {
            return new Merge(symbols(left), symbols(right));
        }

        private static String symbols(int... bytes) {
            StringBuilder text = new StringBuilder();
            for (int b : bytes) {
                text.append(ByteLevelAlphabet.charOf(b));
            }
            return text.toString();
        }
    }
}
