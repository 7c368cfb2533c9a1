package dev.trimtab.decoding.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tokenizer whose {@code TemplateProcessing} post-processor prepends BOS, as Llama 3's, Mistral's
 * and Gemma's do: text that already starts with the BOS token (a rendered chat template) must not
 * get a second one.
 */
class BosPostProcessorTest {
    private static final long BOS = 0;
    private static final long HELLO = 1;
    private static final long WORLD = 2;

    /** A word-level tokenizer of three words whose post-processor is Llama's {@code <s> $A}. */
    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [{"id": 0, "content": "<s>", "single_word": false, "lstrip": false,
                               "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null,
             "pre_tokenizer": {"type": "Whitespace"},
             "post_processor": {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}}},
             "decoder": null,
             "model": {"type": "WordLevel", "vocab": {"<s>": 0, "hello": 1, "world": 2, "<unk>": 3},
                       "unk_token": "<unk>"}}
            """;

    @TempDir
    Path directory;

    private TextTokenizer load() throws IOException {
        Files.writeString(directory.resolve("tokenizer.json"), TOKENIZER_JSON);
        return TextTokenizer.load(directory);
    }

    @Test
    @DisplayName("plain encoding keeps the post-processor's BOS, as completions do")
    void encodeAddsBos() throws IOException {
        try (TextTokenizer tokenizer = load()) {
            assertThat(tokenizer.encode("hello world")).containsExactly(BOS, HELLO, WORLD);
        }
    }

    @Test
    @DisplayName("text that spells its BOS, encoded without special tokens, has exactly one BOS")
    void renderedChatHasOneBos() throws IOException {
        try (TextTokenizer tokenizer = load()) {
            long[] ids = tokenizer.encodeWithoutSpecialTokens("<s>hello world");
            assertThat(ids).containsExactly(BOS, HELLO, WORLD);
            assertThat(tokenizer.encode("<s>hello world"))
                    .as("with special tokens: the double BOS this avoids")
                    .containsExactly(BOS, BOS, HELLO, WORLD);
        }
    }
}
