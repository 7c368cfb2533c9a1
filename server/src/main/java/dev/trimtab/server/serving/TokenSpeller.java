package dev.trimtab.server.serving;

import dev.trimtab.decoding.sampling.TokenAlternative;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.decoding.tokenizer.TokenTexts;
import java.util.List;

/**
 * Spells one choice's tokens for its log-probabilities, in order: each token's string and bytes in
 * the context of the tokens before it ({@link TokenTexts}), where it starts in the answer's text,
 * and its alternatives' strings at the same position. Used by one thread at a time.
 */
final class TokenSpeller {
    private final TokenTexts texts;
    private int offset;

    /**
     * @param prefix the tokens before the first one spelled (the prompt, or none for the prompt's own)
     * @param offset where the first token's string starts in the answer's text, in code points
     */
    TokenSpeller(TextTokenizer tokenizer, long[] prefix, int offset) {
        this.texts = new TokenTexts(tokenizer, prefix);
        this.offset = offset;
    }

    /** The next token of the choice with its log-probabilities and alternatives, spelled. */
    TokenLogprob next(long id, double logprob, double baseLogprob, List<TokenAlternative> top, boolean prompt) {
        List<TokenLogprob.Alternative> alternatives = top.stream()
                .map(alternative -> {
                    TokenTexts.Piece piece = texts.alternative(alternative.token());
                    return new TokenLogprob.Alternative(piece.text(), piece.bytes(), alternative.logprob());
                })
                .toList();
        TokenTexts.Piece piece = texts.next(id);
        TokenLogprob entry =
                new TokenLogprob(id, piece.text(), piece.bytes(), offset, logprob, baseLogprob, alternatives, prompt);
        offset += piece.text().codePointCount(0, piece.text().length());
        return entry;
    }
}
