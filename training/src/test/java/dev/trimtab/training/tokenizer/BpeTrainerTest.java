package dev.trimtab.training.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.training.task.Review;
import dev.trimtab.training.task.ReviewGrammar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    private static final List<String> CORPUS = corpus();
    private static ByteLevelBpeTokenizerFile trained;

    @TempDir
    Path directory;

    @BeforeAll
    static void train() {
        trained = BpeTrainer.train(CORPUS, 400, List.of(ByteLevelBpeTokenizerFile.END_OF_TEXT), 2);
    }

    private static List<String> corpus() {
        SplittableRandom random = new SplittableRandom(3);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Review review = ReviewGrammar.review(random);
            texts.add(review.prompt() + review.completion());
        }
        return texts;
    }

    @Test
    @DisplayName("training fills the vocabulary exactly: 256 bytes, the merges and the special token")
    void vocabularySize() {
        assertThat(trained.vocabSize()).isEqualTo(400);
        assertThat(trained.merges()).hasSize(400 - 256 - 1);
        assertThat(trained.vocabulary()).containsKey("Ġthe");
    }

    @Test
    @DisplayName("the same corpus gives the same merges, in the same order")
    void deterministic() {
        ByteLevelBpeTokenizerFile again =
                BpeTrainer.train(CORPUS, 400, List.of(ByteLevelBpeTokenizerFile.END_OF_TEXT), 2);
        assertThat(again.merges()).isEqualTo(trained.merges());
    }

    @Test
    @DisplayName("the written tokenizer.json loads in DJL's HF tokenizers and round-trips arbitrary Unicode")
    void roundTripsUnicode() throws Exception {
        trained.write(directory.resolve("tokenizer.json"));
        SplittableRandom random = new SplittableRandom(17);
        try (TextTokenizer tokenizer = TextTokenizer.load(directory)) {
            assertThat(tokenizer.vocabSize()).isEqualTo(400);
            for (int i = 0; i < 300; i++) {
                String text = randomText(random, 40);
                assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
            }
            for (String text : List.of("", " ", "naïve café 😀 中文 \u0000\t\r\n", "The plot was gripping. ")) {
                assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
            }
        }
    }

    @Test
    @DisplayName("on text like its corpus the tokenizer needs far fewer tokens than bytes")
    void compresses() throws Exception {
        trained.write(directory.resolve("tokenizer.json"));
        String text = " The acting was superb but the ending was predictable. I would recommend it to anyone.";
        try (TextTokenizer tokenizer = TextTokenizer.load(directory)) {
            assertThat(tokenizer.encode(text).length).isLessThan(text.getBytes(StandardCharsets.UTF_8).length / 2);
        }
    }

    @Test
    @DisplayName("merging stops at pairs rarer than the minimum frequency, and a too small vocabulary is refused")
    void limits() {
        ByteLevelBpeTokenizerFile sparse = BpeTrainer.train(List.of("ab ab ab cd"), 1000, List.of("<|endoftext|>"), 2);
        assertThat(sparse.merges()).extracting(Object::toString).containsExactly("a b", "Ġ ab");
        assertThatThrownBy(() -> BpeTrainer.train(CORPUS, 200, List.of("<|endoftext|>"), 2))
                .hasMessageContaining("vocab_size must be at least 256 + 1 special tokens = 257, got 200");
    }

    /** Printable ASCII, Latin-1, CJK, emoji, combining marks, controls and odd whitespace. */
    static String randomText(SplittableRandom random, int maxCodePoints) {
        int[][] ranges = {
            {0x20, 0x7E},
            {0xA0, 0xFF},
            {0x4E00, 0x9FFF},
            {0x1F300, 0x1F64F},
            {0x300, 0x36F},
            {0, 0x1F},
            {0x3000, 0x3000},
            {0x2028, 0x2028}
        };
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxCodePoints + 1);
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            text.appendCodePoint(random.nextInt(range[0], range[1] + 1));
        }
        return text.toString();
    }
}
