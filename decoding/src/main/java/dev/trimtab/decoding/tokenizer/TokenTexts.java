package dev.trimtab.decoding.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;

/**
 * The strings and bytes of a sequence's tokens, one token at a time, such that the strings
 * concatenate to the sequence's decoded text and the bytes to its UTF-8, whatever the tokenizer's
 * family: each token's string is what it adds to the text of the tokens before it (a {@link
 * StreamingDetokenizer}'s increment), so a SentencePiece piece {@code ▁h} after other text is
 * {@code " h"}, not the {@code "h"} it decodes to alone.
 *
 * <p>A token that carries only part of a character (a byte-level or byte-fallback token) adds no
 * text: its string is {@code ""} and its bytes are its own ({@link TextTokenizer#tokenBytes}); the
 * token that completes the character gets the character and the bytes that remain of it, as the
 * streamed text releases it. Special tokens add nothing. Not thread-safe: one instance per sequence.
 */
public final class TokenTexts {
    /** Tokens before the next one decoded as its context for {@link #alternative}. */
    static final int CONTEXT = 6;

    private static final String REPLACEMENT = "\uFFFD";
    private static final byte[] NO_BYTES = new byte[0];

    private final TextTokenizer tokenizer;
    private final StreamingDetokenizer detokenizer;
    private final Deque<Long> context = new ArrayDeque<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String contextText;

    /** A sequence's tokens after {@code prefix} (the prompt; empty for the prompt's own tokens). */
    public TokenTexts(TextTokenizer tokenizer, long[] prefix) {
        this.tokenizer = tokenizer;
        this.detokenizer = new StreamingDetokenizer(tokenizer, prefix);
        for (long id : prefix) {
            remember(id);
        }
    }

    /**
     * One token's string and bytes.
     *
     * @param text what the token adds to the text ({@code ""} for part of a character or a special
     *     token)
     * @param bytes the token's bytes: those of {@code text}, or for part of a character its own
     */
    public record Piece(String text, byte[] bytes) {
        public Piece {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Piece piece && text.equals(piece.text) && Arrays.equals(bytes, piece.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * text.hashCode() + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Piece[" + text + ", " + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /** The next token of the sequence: its string and bytes. */
    public Piece next(long id) {
        if (tokenizer.isSpecial(id)) {
            return new Piece("", NO_BYTES);
        }
        remember(id);
        String text = detokenizer.push(id);
        if (text.isEmpty()) {
            byte[] own = tokenizer.tokenBytes(id);
            pending.writeBytes(own);
            return new Piece("", own);
        }
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        byte[] given = pending.toByteArray();
        pending.reset();
        boolean continues = Arrays.equals(all, 0, Math.min(given.length, all.length), given, 0, given.length);
        return new Piece(text, continues ? Arrays.copyOfRange(all, given.length, all.length) : all);
    }

    /**
     * What {@code id} would be as the next token, without taking it: a token of the top
     * alternatives. A special token is its spelling; a token that would leave a character
     * incomplete is {@code bytes:} and its bytes as {@code \xNN} escapes, as the OpenAI completions
     * API spells such tokens.
     */
    public Piece alternative(long id) {
        if (tokenizer.isSpecial(id)) {
            String spelled = tokenizer.decode(new long[] {id}, false);
            return new Piece(spelled, spelled.getBytes(StandardCharsets.UTF_8));
        }
        String before = contextText();
        long[] ids = new long[context.size() + 1];
        int i = 0;
        for (long previous : context) {
            ids[i++] = previous;
        }
        ids[i] = id;
        String after = tokenizer.decode(ids);
        if (pending.size() == 0 && after.startsWith(before) && !after.endsWith(REPLACEMENT)) {
            String text = after.substring(before.length());
            return new Piece(text, text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] own = tokenizer.tokenBytes(id);
        StringBuilder escaped = new StringBuilder("bytes:");
        for (byte b : own) {
            escaped.append("\\x").append(HexFormat.of().toHexDigits(b));
        }
        return new Piece(escaped.toString(), own);
    }

    private String contextText() {
        if (contextText == null) {
            contextText =
                    tokenizer.decode(context.stream().mapToLong(Long::longValue).toArray());
        }
        return contextText;
    }

    private void remember(long id) {
        if (tokenizer.isSpecial(id)) {
            return;
        }
        context.addLast(id);
        if (context.size() > CONTEXT) {
            context.removeFirst();
        }
        contextText = null;
    }
}
