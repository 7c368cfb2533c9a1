package dev.trimtab.decoding.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingDetokenizerTest {

    private static final String REPLACEMENT = "\uFFFD";
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
    @DisplayName("emits CJK characters and emoji split across tokens once complete, never as U+FFFD")
    void neverEmitsHalfCharacters() {
        String text = "中不为 你好，世界！ 😀😃 the 🎉👍🏽 déjà vu 👨‍👩‍👧 中";
        long[] ids = tokenizer.encode(text);
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);

        List<String> chunks = pushAll(detokenizer, ids);

        assertThat(chunks).noneMatch(chunk -> chunk.contains(REPLACEMENT));
        assertThat(chunks).as("pushes that completed no character").contains("");
        assertThat(detokenizer.finish()).isEmpty();
        assertThat(String.join("", chunks)).isEqualTo(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    @DisplayName("streams seeded random Unicode text exactly as the full decode, without U+FFFD")
    void matchesFullDecodeOnRandomText() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200; i++) {
            String text = RandomText.next(random, 60);
            long[] ids = tokenizer.encode(text);
            StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);

            List<String> chunks = pushAll(detokenizer, ids);
            String streamed = String.join("", chunks) + detokenizer.finish();

            assertThat(chunks).as("chunks of text #%d", i).noneMatch(chunk -> chunk.contains(REPLACEMENT));
            assertThat(streamed)
                    .as("text #%d", i)
                    .isEqualTo(tokenizer.decode(ids))
                    .isEqualTo(text);
        }
    }

    @Test
    @DisplayName("holds back a sequence that ends mid-character and returns it as U+FFFD from finish")
    void finishFlushesIncompleteCharacter() {
        long[] ids = tokenizer.encode("the 😀");
        long[] truncated = Arrays.copyOf(ids, ids.length - 1);
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);

        String streamed = String.join("", pushAll(detokenizer, truncated));
        String rest = detokenizer.finish();

        assertThat(streamed).isEqualTo("the ");
        assertThat(rest).isEqualTo(REPLACEMENT);
        assertThat(streamed + rest).isEqualTo(tokenizer.decode(truncated));
    }

    @Test
    @DisplayName("emits nothing for special tokens, as decode skips them")
    void skipsSpecialTokens() {
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);

        assertThat(detokenizer.push(DemoTokenizer.id("the"))).isEqualTo("the");
        assertThat(detokenizer.push(END_OF_TEXT)).isEmpty();
        assertThat(detokenizer.push(DemoTokenizer.id("Ġand"))).isEqualTo(" and");
        assertThat(detokenizer.finish()).isEmpty();
    }

    @Test
    @DisplayName("decodes the first generated tokens in the prompt's context and still matches the full decode")
    void usesPromptContext() {
        long[] prompt = concat(tokenizer.encode("中文 prompt 😀"), new long[] {END_OF_TEXT});
        long[] generated = tokenizer.encode(" the answer: 你好 🎉");
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer, prompt);

        String streamed = String.join("", pushAll(detokenizer, generated)) + detokenizer.finish();

        assertThat(streamed).isEqualTo(tokenizer.decode(generated)).isEqualTo(" the answer: 你好 🎉");
    }

    @Test
    @DisplayName(
            "on random token ids, invalid UTF-8 and special tokens included, matches the full decode in a bounded window")
    void boundedOnGarbage() {
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 40; run++) {
            long[] ids = random.longs(300, 0, tokenizer.vocabSize()).toArray();
            StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);
            StringBuilder streamed = new StringBuilder();
            for (long id : ids) {
                streamed.append(detokenizer.push(id));
                assertThat(detokenizer.windowSize()).isLessThanOrEqualTo(2 * StreamingDetokenizer.MAX_PENDING + 2);
            }
            streamed.append(detokenizer.finish());

            assertThat(streamed.toString()).as("run %d", run).isEqualTo(tokenizer.decode(ids));
        }
    }

    @Test
    @DisplayName("on a long run of lone continuation bytes emits replacement characters in a bounded window")
    void boundedOnContinuationBytes() {
        long[] ids = new long[200];
        Arrays.fill(ids, 0x80);
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);
        StringBuilder streamed = new StringBuilder();
        for (long id : ids) {
            streamed.append(detokenizer.push(id));
            assertThat(detokenizer.windowSize()).isLessThanOrEqualTo(2 * StreamingDetokenizer.MAX_PENDING + 2);
        }

        assertThat(streamed.length()).isGreaterThan(150);
        assertThat(streamed.append(detokenizer.finish()).toString()).isEqualTo(REPLACEMENT.repeat(200));
    }

    private static List<String> pushAll(StreamingDetokenizer detokenizer, long[] ids) {
        List<String> chunks = new ArrayList<>();
        for (long id : ids) {
            chunks.add(detokenizer.push(id));
        }
        return chunks;
    }

    private static long[] concat(long[] first, long[] second) {
        long[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
