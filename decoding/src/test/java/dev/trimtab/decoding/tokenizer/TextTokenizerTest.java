package dev.trimtab.decoding.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {

    private static final long END_OF_TEXT = DemoTokenizer.id("<|endoftext|>");

    @TempDir
    Path directory;

    private TextTokenizer tokenizer;

    @BeforeEach
    void loadDemo() {
        tokenizer = DemoTokenizer.load(directory);
    }

    @AfterEach
    void close() {
        tokenizer.close();
    }

    @Test
    @DisplayName("loads the written demo tokenizer.json in DJL with the vocabulary size the file declares")
    void loadsDemo() {
        assertThat(tokenizer.vocabSize()).isEqualTo(DemoTokenizer.FILE.vocabSize());
        assertThat(tokenizer.file()).isEqualTo(directory.resolve("tokenizer.json"));
    }

    @Test
    @DisplayName("round-trips seeded random Unicode text through encode and decode")
    void roundTripsRandomText() {
        SplittableRandom random = new SplittableRandom(20240611);
        for (int i = 0; i < 300; i++) {
            String text = RandomText.next(random, 40);
            long[] ids = tokenizer.encode(text);
            assertThat(ids).doesNotContain(END_OF_TEXT);
            assertThat(tokenizer.decode(ids)).as("text #%d", i).isEqualTo(text);
        }
    }

    @Test
    @DisplayName("encodes empty text to no ids and decodes no ids to empty text")
    void handlesEmptyInput() {
        assertThat(tokenizer.encode("")).isEmpty();
        assertThat(tokenizer.decode(new long[0])).isEmpty();
    }

    @Test
    @DisplayName("puts DJL in offline mode, so that it neither downloads nor calls home")
    void runsDjlOffline() {
        if (System.getenv("DJL_OFFLINE") == null) {
            assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        }
    }

    @Test
    @DisplayName("applies the demo merges: the, ' the', ' and' and 'ing' are single tokens")
    void appliesMerges() {
        assertThat(tokenizer.encode("the")).containsExactly(DemoTokenizer.id("the"));
        assertThat(tokenizer.encode(" the")).containsExactly(DemoTokenizer.id("Ġthe"));
        assertThat(tokenizer.encode("the sing and"))
                .containsExactly(
                        DemoTokenizer.id("the"),
                        DemoTokenizer.id("Ġs"),
                        DemoTokenizer.id("ing"),
                        DemoTokenizer.id("Ġand"));
    }

    @Test
    @DisplayName("splits a CJK character and an emoji across several multi-byte tokens")
    void splitsCharactersAcrossTokens() {
        assertThat(tokenizer.encode("中")).containsExactly(DemoTokenizer.id("ä¸"), 0xADL);
        assertThat(tokenizer.encode("😀")).hasSize(2).startsWith(DemoTokenizer.id("ðŁĺ"));
    }

    @Test
    @DisplayName("decodes a lone lead byte as U+FFFD, like the Rust library's lossy UTF-8")
    void decodesPartialCharacterAsReplacement() {
        assertThat(tokenizer.decode(new long[] {0xE4})).isEqualTo("\uFFFD");
        assertThat(tokenizer.decode(new long[] {0xE4, 0xB8, 'A'})).isEqualTo("\uFFFDA");
    }

    @Test
    @DisplayName("skips special tokens in decode unless asked to keep them")
    void skipsSpecialTokens() {
        long[] ids = {DemoTokenizer.id("the"), END_OF_TEXT};

        assertThat(tokenizer.decode(ids)).isEqualTo("the");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("the");
        assertThat(tokenizer.decode(ids, false)).isEqualTo("the<|endoftext|>");
        assertThat(tokenizer.isSpecial(END_OF_TEXT)).isTrue();
        assertThat(tokenizer.isSpecial(DemoTokenizer.id("the"))).isFalse();
    }

    @Test
    @DisplayName("encodes a special token's text in the input as the special token itself")
    void matchesSpecialTokenText() {
        assertThat(tokenizer.encode("a<|endoftext|>b")).containsExactly('a', END_OF_TEXT, 'b');
    }

    @Test
    @DisplayName("looks up the ids of vocabulary entries and special tokens")
    void looksUpTokenIds() {
        assertThat(tokenizer.tokenId("<|endoftext|>")).hasValue(END_OF_TEXT);
        assertThat(tokenizer.tokenId("Ġthe")).hasValue(DemoTokenizer.id("Ġthe"));
        assertThat(tokenizer.tokenId("not a token")).isEmpty();
    }

    @Test
    @DisplayName("rejects a model directory without tokenizer.json, naming the path and what is needed")
    void rejectsMissingFile(@TempDir Path empty) {
        assertThatThrownBy(() -> TextTokenizer.load(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(empty.resolve("tokenizer.json") + " not found: a model directory needs tokenizer.json"
                        + " (the Hugging Face fast-tokenizer file)");
    }

    @Test
    @DisplayName("rejects invalid JSON, naming the file and the parse error")
    void rejectsInvalidJson(@TempDir Path broken) throws IOException {
        Path file = broken.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"vocab\": ");

        assertThatThrownBy(() -> TextTokenizer.load(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " is not valid JSON: ")
                .hasMessageContaining("end-of-input");
    }

    @Test
    @DisplayName("rejects JSON without model.vocab, naming the file and the field")
    void rejectsMissingVocab(@TempDir Path broken) throws IOException {
        Path file = broken.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\"}}");

        assertThatThrownBy(() -> TextTokenizer.load(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " has no model.vocab");
    }

    @Test
    @DisplayName("rejects a vocabulary id that is not a non-negative integer, naming the entry")
    void rejectsBadId(@TempDir Path broken) throws IOException {
        Path file = broken.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": -1}, \"merges\": []}}");

        assertThatThrownBy(() -> TextTokenizer.load(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": model.vocab[\"b\"] must be a non-negative integer id, got -1");
    }

    @Test
    @DisplayName("rejects well-formed JSON that the tokenizers library refuses, naming the file")
    void rejectsUnknownModel(@TempDir Path broken) throws IOException {
        Path file = broken.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");

        assertThatThrownBy(() -> TextTokenizer.load(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + " is not a tokenizer the Hugging Face tokenizers library accepts: ");
    }

    @Test
    @DisplayName("reads Unigram's array vocabulary, whose ids are the array indexes")
    void readsUnigramVocabulary(@TempDir Path unigram) throws IOException {
        Path file = unigram.resolve("tokenizer.json");
        Files.writeString(file, """
                {"added_tokens": [{"id": 3, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false,
                                   "normalized": false, "special": true}],
                 "model": {"type": "Unigram", "unk_id": 0,
                           "vocab": [["<unk>", 0.0], ["▁a", -1.0], ["b", -2.0], ["</s>", 0.0]]}}
                """);

        try (TextTokenizer loaded = TextTokenizer.load(unigram)) {
            assertThat(loaded.vocabSize()).isEqualTo(4);
            assertThat(loaded.tokenId("b")).hasValue(2);
            assertThat(loaded.isSpecial(3)).isTrue();
        }
    }

    @Test
    @DisplayName("is safe to close twice and fails clearly when used after closing")
    void closesOnce() {
        tokenizer.close();

        assertThatCode(tokenizer::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> tokenizer.encode("the"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the tokenizer of " + tokenizer.file() + " is closed");
    }

    @Test
    @DisplayName("loads and closes hundreds of tokenizers, each freeing its native handle")
    void loadsManyTokenizers() {
        for (int i = 0; i < 300; i++) {
            try (TextTokenizer another = TextTokenizer.load(directory)) {
                assertThat(another.encode("the")).containsExactly(DemoTokenizer.id("the"));
            }
        }
    }
}
