package dev.trimtab.decoding.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.decoding.fixtures.SentencePieceTokenizers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-token strings and bytes of three tokenizer families: GPT-2's byte-level BPE, and the Llama 2
 * SentencePiece layout with and without byte fallback (files written here, loaded by DJL).
 */
class TokenTextsTest {
    @TempDir
    Path directory;

    private TextTokenizer sentencePiece(boolean byteFallback) {
        Path dir = directory.resolve(byteFallback ? "byte-fallback" : "metaspace");
        SentencePieceTokenizers.write(dir, byteFallback);
        return TextTokenizer.load(dir);
    }

    /** Every token of {@code ids} after {@code prefix}, spelled in order. */
    private static List<TokenTexts.Piece> spell(TextTokenizer tokenizer, long[] prefix, long[] ids) {
        TokenTexts texts = new TokenTexts(tokenizer, prefix);
        List<TokenTexts.Piece> pieces = new ArrayList<>();
        for (long id : ids) pieces.add(texts.next(id));
        return pieces;
    }

    private static String strings(List<TokenTexts.Piece> pieces) {
        return String.join("", pieces.stream().map(TokenTexts.Piece::text).toList());
    }

    private static byte[] bytes(List<TokenTexts.Piece> pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        pieces.forEach(piece -> all.writeBytes(piece.bytes()));
        return all.toByteArray();
    }

    @Test
    @DisplayName("SentencePiece (Metaspace) pieces keep their leading space: ' film', ' was', not 'film', 'was'")
    void metaspaceKeepsSpaces() {
        try (TextTokenizer tokenizer = sentencePiece(false)) {
            long[] ids = tokenizer.encode("The film was fine");
            assertThat(ids[0]).isEqualTo(SentencePieceTokenizers.BOS);
            List<TokenTexts.Piece> pieces = spell(tokenizer, new long[0], ids);
            assertThat(pieces).extracting(TokenTexts.Piece::text).containsSequence(" film", " was", " f");
            assertThat(tokenizer.decode(new long[] {tokenizer.tokenId("▁film").orElseThrow()}))
                    .isEqualTo("film");
            assertThat(strings(pieces)).isEqualTo("The film was fine");
            assertThat(bytes(pieces)).isEqualTo("The film was fine".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("after a prompt, the generated tokens' strings are what they add to its text")
    void continuesAPrompt() {
        try (TextTokenizer tokenizer = sentencePiece(true)) {
            long[] ids = tokenizer.encode("The film was fine, the end");
            for (int cut = 1; cut < ids.length; cut++) {
                long[] prefix = Arrays.copyOf(ids, cut);
                long[] rest = Arrays.copyOfRange(ids, cut, ids.length);
                String whole = tokenizer.decode(ids);
                assertThat(tokenizer.decode(prefix) + strings(spell(tokenizer, prefix, rest)))
                        .as("cut at %d", cut)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    @DisplayName("byte fallback: the bytes of a character split over <0xNN> tokens go to each token, the character"
            + " to the token that completes it")
    void byteFallbackSplitsCharacters() {
        try (TextTokenizer tokenizer = sentencePiece(true)) {
            long[] ids = tokenizer.encode("a 中 b");
            List<TokenTexts.Piece> pieces = spell(tokenizer, new long[0], ids);
            // <s>, ▁a, ▁, <0xE4>, <0xB8>, <0xAD>, ▁b
            assertThat(ids).hasSize(7);
            assertThat(pieces.get(3)).isEqualTo(new TokenTexts.Piece("", new byte[] {(byte) 0xE4}));
            assertThat(pieces.get(4)).isEqualTo(new TokenTexts.Piece("", new byte[] {(byte) 0xB8}));
            assertThat(pieces.get(5)).isEqualTo(new TokenTexts.Piece("中", new byte[] {(byte) 0xAD}));
            assertThat(strings(pieces)).isEqualTo("a 中 b");
            assertThat(bytes(pieces)).isEqualTo("a 中 b".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("strings concatenate to the decoded text and bytes to its UTF-8, for random Unicode text, in every"
            + " family")
    void randomTextEveryFamily() {
        try (TextTokenizer byteLevel = DemoTokenizer.load(directory);
                TextTokenizer byteFallback = sentencePiece(true)) {
            SplittableRandom random = new SplittableRandom(13);
            for (TextTokenizer tokenizer : List.of(byteLevel, byteFallback)) {
                for (int i = 0; i < 100; i++) {
                    long[] ids = tokenizer.encode(RandomText.next(random, 30));
                    String text = tokenizer.decode(ids);
                    List<TokenTexts.Piece> pieces = spell(tokenizer, new long[0], ids);
                    assertThat(strings(pieces))
                            .as("%s #%d", tokenizer.file(), i)
                            .isEqualTo(text);
                    assertThat(bytes(pieces))
                            .as("%s #%d", tokenizer.file(), i)
                            .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    @DisplayName("byte-level BPE: a CJK character split over two tokens, its bytes split the same way")
    void byteLevelSplitsCharacters() {
        try (TextTokenizer tokenizer = DemoTokenizer.load(directory)) {
            long[] ids = tokenizer.encode("the 中");
            List<TokenTexts.Piece> pieces = spell(tokenizer, new long[0], ids);
            assertThat(strings(pieces)).isEqualTo("the 中");
            assertThat(pieces.get(pieces.size() - 2).text()).isEmpty();
            assertThat(pieces.get(pieces.size() - 2).bytes()).isNotEmpty();
            assertThat(bytes(pieces)).isEqualTo("the 中".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("an alternative is spelled as the token would be if it came next; a part of a character by its"
            + " bytes; a special token by its spelling")
    void alternatives() {
        try (TextTokenizer tokenizer = sentencePiece(true)) {
            long[] prefix = tokenizer.encode("The film");
            TokenTexts texts = new TokenTexts(tokenizer, prefix);
            long was = tokenizer.tokenId("▁was").orElseThrow();
            long lead = tokenizer.tokenId("<0xE4>").orElseThrow();
            TokenTexts.Piece predicted = texts.alternative(was);
            assertThat(predicted).isEqualTo(new TokenTexts.Piece(" was", " was".getBytes(StandardCharsets.UTF_8)));
            assertThat(texts.alternative(lead))
                    .isEqualTo(new TokenTexts.Piece("bytes:\\xe4", new byte[] {(byte) 0xE4}));
            assertThat(texts.alternative(SentencePieceTokenizers.EOS).text()).isEqualTo("</s>");
            assertThat(texts.next(was)).isEqualTo(predicted);
        }
    }
}
