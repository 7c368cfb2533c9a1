package dev.trimtab.decoding.tokenizer;

import java.util.Arrays;

/**
 * Turns generated token ids into text one token at a time, never emitting half a character.
 *
 * <p>The prefix/read-offset scheme of Hugging Face's text-generation-inference: with tokens {@code
 * t[prefix..read)} already emitted, each push decodes {@code t[prefix..read)} and {@code
 * t[prefix..end)} and emits the difference, unless the longer text ends with U+FFFD (a UTF-8
 * character still incomplete), in which case it waits for more tokens. After an emission {@code
 * prefix} moves to the old {@code read} and {@code read} to {@code end}, so the tokens before the
 * new ones are always decoded as context (that keeps the leading spaces a sentencepiece decoder
 * would strip from the first token) and the window, not the sequence, bounds the cost of a push.
 *
 * <p>Special tokens are dropped on arrival, as {@link TextTokenizer#decode(long[])} skips them.
 * For a byte-level BPE the concatenation of all pushes and {@link #finish()} then equals {@code
 * decode} of all generated ids. When more than {@value #MAX_PENDING} tokens arrive without a
 * complete character (only invalid UTF-8 does that), the pending text is emitted up to the last
 * token boundary where decoding can be split without changing the result; only if no such boundary
 * exists is the pending text emitted as it decodes, with its replacement characters.
 *
 * <p>Not thread-safe: one instance per generated sequence.
 */
public final class StreamingDetokenizer {

    /** Prompt tokens kept as decoding context, as text-generation-inference does. */
    static final int PROMPT_CONTEXT = 5;

    /** Tokens held without emitting before a split point is searched for. */
    static final int MAX_PENDING = 16;

    private static final String REPLACEMENT = "\uFFFD";

    private final TextTokenizer tokenizer;
    private long[] window = new long[2 * MAX_PENDING + PROMPT_CONTEXT];
    private int size;
    private int prefixOffset;
    private int readOffset;
    /** The decoded text of {@code t[prefix..read)}, already emitted; null until needed. */
    private String emittedText;

    /** A detokenizer for text generated without a prompt. */
    public StreamingDetokenizer(TextTokenizer tokenizer) {
        this(tokenizer, new long[0]);
    }

    /** A detokenizer whose first tokens decode in the context of {@code promptIds}' last tokens. */
    public StreamingDetokenizer(TextTokenizer tokenizer, long[] promptIds) {
        this.tokenizer = tokenizer;
        int start = promptIds.length;
        for (int kept = 0; start > 0 && kept < PROMPT_CONTEXT; start--) {
            kept += tokenizer.isSpecial(promptIds[start - 1]) ? 0 : 1;
        }
        for (int i = start; i < promptIds.length; i++) {
            if (!tokenizer.isSpecial(promptIds[i])) {
                append(promptIds[i]);
            }
        }
        readOffset = size;
    }

    /** Adds a generated token and returns the text it completes, often {@code ""}. */
    public String push(long tokenId) {
        if (tokenizer.isSpecial(tokenId)) {
            return "";
        }
        append(tokenId);
        String text = emit(size, false);
        if (text.isEmpty() && size - readOffset > MAX_PENDING) {
            text = emit(lastSplitPoint(), true);
        }
        return text;
    }

    /** Returns the text still held back, U+FFFD included when the sequence ends mid-character. */
    public String finish() {
        return emit(size, true);
    }

    /**
     * Emits the text {@code t[read..end)} adds to {@code t[prefix..read)}; unless {@code force}, only
     * when it adds something and does not end inside a character.
     */
    private String emit(int end, boolean force) {
        String before = emittedText();
        String after = decode(prefixOffset, end);
        boolean complete = after.length() > before.length() && !after.endsWith(REPLACEMENT);
        if (!complete && !force) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = end;
        emittedText = null;
        compact();
        return after.length() > before.length() ? after.substring(before.length()) : "";
    }

    /**
     * The largest boundary {@code j} after {@code read} at which the pending tokens decode the same
     * split as whole (so the decoder holds no partial character there); {@code size} when there is
     * none.
     */
    private int lastSplitPoint() {
        String pending = decode(readOffset, size);
        for (int j = size - 1; j > readOffset; j--) {
            String tail = decode(j, size);
            if (!tail.isEmpty() && pending.equals(decode(readOffset, j) + tail)) {
                return j;
            }
        }
        return size;
    }

    private String emittedText() {
        if (emittedText == null) {
            emittedText = decode(prefixOffset, readOffset);
        }
        return emittedText;
    }

    /** Tokens the next push will decode: the bound on its cost. */
    int windowSize() {
        return size - prefixOffset;
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(window, from, to));
    }

    private void append(long tokenId) {
        if (size == window.length) {
            window = Arrays.copyOf(window, 2 * size);
        }
        window[size++] = tokenId;
    }

    /** Drops the tokens before {@code prefix}, which no later decode reads. */
    private void compact() {
        System.arraycopy(window, prefixOffset, window, 0, size - prefixOffset);
        size -= prefixOffset;
        readOffset -= prefixOffset;
        prefixOffset = 0;
    }
}
