package dev.trimtab.decoding.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile.Merge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTokenizerFileTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    @DisplayName("gives ids 0..255 to the bytes in byte order, then merge results in merge order, then special tokens")
    void assignsIdsInOrder() {
        var file = new ByteLevelBpeTokenizerFile(
                List.of(new Merge("Ġ", "t"), new Merge("h", "e"), new Merge("Ġt", "he")), List.of("<s>", "</s>"));

        assertThat(file.vocabulary()).hasSize(256 + 3 + 2);
        assertThat(file.vocabulary().get("A")).isEqualTo((int) 'A');
        assertThat(file.vocabulary().get("Ġ")).isEqualTo(32);
        assertThat(file.vocabulary())
                .containsEntry("Ġt", 256)
                .containsEntry("he", 257)
                .containsEntry("Ġthe", 258);
        assertThat(file.specialTokenId("<s>")).isEqualTo(259);
        assertThat(file.specialTokenId("</s>")).isEqualTo(260);
        assertThat(file.vocabSize()).isEqualTo(261);
        assertThat(file.vocabulary().values())
                .containsExactlyElementsOf(
                        Stream.iterate(0, i -> i + 1).limit(261).toList());
    }

    @Test
    @DisplayName("the demo has about 40 merges, <|endoftext|> last, and one id per distinct symbol")
    void demoShape() {
        var demo = ByteLevelBpeTokenizerFile.demo();

        assertThat(demo.merges()).hasSizeBetween(30, 45);
        assertThat(demo.specialTokens()).containsExactly("<|endoftext|>");
        assertThat(demo.specialTokenId("<|endoftext|>")).isEqualTo(demo.vocabSize() - 1);
        assertThat(demo.vocabulary()).containsKeys("the", "Ġthe", "Ġand", "ing");
    }

    @Test
    @DisplayName("a merge producing a symbol that already exists reuses its id, as Hugging Face's trainer does")
    void reusesIdsOfRepeatedResults() {
        var file = new ByteLevelBpeTokenizerFile(
                List.of(new Merge("a", "b"), new Merge("ab", "c"), new Merge("b", "c"), new Merge("a", "bc")),
                List.of());

        assertThat(file.vocabulary())
                .containsEntry("ab", 256)
                .containsEntry("abc", 257)
                .containsEntry("bc", 258);
        assertThat(file.vocabSize()).isEqualTo(259);
    }

    @Test
    @DisplayName("writes only tokenizer.json, in GPT-2's layout")
    void writesGpt2Layout() throws IOException {
        Path target = directory.resolve("tokenizer.json");
        ByteLevelBpeTokenizerFile.demo().write(target);

        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(target);
        }
        JsonNode json = MAPPER.readTree(target.toFile());
        assertThat(json.path("normalizer").isNull()).isTrue();
        assertThat(json.at("/pre_tokenizer/type").asText()).isEqualTo("ByteLevel");
        assertThat(json.at("/pre_tokenizer/add_prefix_space").asBoolean()).isFalse();
        assertThat(json.at("/pre_tokenizer/use_regex").asBoolean()).isTrue();
        assertThat(json.at("/decoder/type").asText()).isEqualTo("ByteLevel");
        assertThat(json.at("/post_processor/type").asText()).isEqualTo("ByteLevel");
        assertThat(json.at("/post_processor/trim_offsets").asBoolean()).isFalse();
        assertThat(json.at("/model/type").asText()).isEqualTo("BPE");
        assertThat(json.at("/model/vocab/Ġthe").asInt()).isEqualTo(DemoTokenizer.id("Ġthe"));
        assertThat(json.at("/model/merges/0").asText()).isEqualTo("Ġ t");
        assertThat(json.at("/added_tokens/0/content").asText()).isEqualTo("<|endoftext|>");
        assertThat(json.at("/added_tokens/0/special").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("overwrites an existing tokenizer.json")
    void overwrites() throws IOException {
        Path target = directory.resolve("tokenizer.json");
        Files.writeString(target, "stale");

        ByteLevelBpeTokenizerFile.demo().write(target);

        assertThat(MAPPER.readTree(target.toFile()).at("/model/type").asText()).isEqualTo("BPE");
    }

    @Test
    @DisplayName("rejects a merge whose part is not in the vocabulary yet, naming the merge index and the rule")
    void rejectsUnknownPart() {
        assertThatThrownBy(() ->
                        new ByteLevelBpeTokenizerFile(List.of(new Merge("t", "h"), new Merge("the", "n")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merges[1] (\"the\" + \"n\"): part \"the\" is not in the vocabulary built so far;"
                        + " a merge may only join byte symbols and results of earlier merges");
        assertThatThrownBy(() -> new ByteLevelBpeTokenizerFile(List.of(new Merge(" ", "t")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("merges[0] (\" \" + \"t\"): part \" \" is not in the vocabulary");
        assertThatThrownBy(() -> new ByteLevelBpeTokenizerFile(List.of(new Merge("", "t")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("merges[0] (\"\" + \"t\"): part \"\" is not in the vocabulary");
    }

    @Test
    @DisplayName("rejects a repeated merge, naming both indexes")
    void rejectsRepeatedMerge() {
        assertThatThrownBy(() -> new ByteLevelBpeTokenizerFile(
                        List.of(new Merge("t", "h"), new Merge("i", "n"), new Merge("t", "h")), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merges[2] (\"t\" + \"h\") repeats merges[0]; each pair may be merged once");
    }

    @Test
    @DisplayName("rejects special tokens that are empty or already in the vocabulary, naming the index")
    void rejectsBadSpecialTokens() {
        assertThatThrownBy(() -> new ByteLevelBpeTokenizerFile(List.of(), List.of("<s>", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("specialTokens[1] is empty; a special token needs text");
        assertThatThrownBy(() -> new ByteLevelBpeTokenizerFile(List.of(), List.of("<s>", "<s>")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("specialTokens[1] \"<s>\" is already in the vocabulary as id 256;");
        assertThatThrownBy(() -> new ByteLevelBpeTokenizerFile(List.of(new Merge("a", "b")), List.of("ab")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("specialTokens[0] \"ab\" is already in the vocabulary as id 256;");
    }

    @Test
    @DisplayName("answers a lookup of a non-special token with the special tokens it has")
    void specialTokenIdNamesTheChoices() {
        assertThatThrownBy(() -> ByteLevelBpeTokenizerFile.demo().specialTokenId("the"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"the\" is not a special token of this tokenizer; it has [<|endoftext|>]");
    }
}
