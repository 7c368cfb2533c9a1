package dev.trimtab.decoding.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A Hugging Face fast tokenizer loaded from a model directory's {@code tokenizer.json}, through
 * DJL's binding of the Rust {@code tokenizers} library.
 *
 * <p>Encoding applies the file's own normalizer, pre-tokenizer, model and post-processor (so a
 * Llama-style template adds its BOS token, a GPT-2 one adds nothing); truncation and padding are
 * always off. Nothing is ever downloaded: the file is read from disk, and unless the caller set
 * {@code DJL_OFFLINE}/{@code ai.djl.offline} itself, DJL is put in offline mode, which also makes it
 * use the CPU build of its native library that ships inside its jar (on a CUDA machine it would
 * otherwise try to fetch a CUDA build) and skips its telemetry call.
 *
 * <p>Encoding and decoding are thread-safe. The native tokenizer is freed by {@link #close()},
 * which may be called more than once; using the tokenizer afterwards is an {@link
 * IllegalStateException}.
 */
public final class TextTokenizer implements AutoCloseable {

    static {
        preferOfflineDjl();
    }

    /** SentencePiece's spelling of a byte-fallback token. */
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    private final Path file;
    private final TokenizerVocabulary vocabulary;
    private final HuggingFaceTokenizer tokenizer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TextTokenizer(Path file, TokenizerVocabulary vocabulary, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code modelDirectory/tokenizer.json}.
     *
     * @throws IllegalArgumentException naming the file when it is missing, unreadable, not JSON, or
     *     not a tokenizer the library accepts
     */
    public static TextTokenizer load(Path modelDirectory) {
        Path file = modelDirectory.resolve(ByteLevelBpeTokenizerFile.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found: a model directory needs "
                    + ByteLevelBpeTokenizerFile.FILE_NAME + " (the Hugging Face fast-tokenizer file)");
        }
        TokenizerVocabulary vocabulary = TokenizerVocabulary.read(file);
        return new TextTokenizer(file, vocabulary, openNative(file));
    }

    private static HuggingFaceTokenizer openNative(Path file) {
        try {
            // A file path (not the directory) so that DJL reads no tokenizer_config.json overrides.
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    file + " is not a tokenizer the Hugging Face tokenizers library accepts: " + e.getMessage(), e);
        }
    }

    /**
     * The ids of {@code text}, with the special tokens the file's post-processor adds. As in Hugging
     * Face, the text of an added token inside {@code text} (e.g. {@code <|endoftext|>}) encodes as
     * that token.
     */
    public long[] encode(String text) {
        return open().encode(text).getIds();
    }

    /**
     * The ids of {@code text} without the special tokens of the file's post-processor, as Hugging
     * Face encodes with {@code add_special_tokens=False}: for text that already spells its special
     * tokens, such as a rendered chat template that starts with the BOS token.
     */
    public long[] encodeWithoutSpecialTokens(String text) {
        return open().encode(text, false, false).getIds();
    }

    /**
     * The ids of {@code text} read as plain text, without the post-processor's special tokens: the
     * spelling of a special token inside it (a user typing {@code <|endoftext|>}) never becomes
     * that token; each of its characters is encoded on its own instead. Text that spells no special
     * token encodes exactly as {@link #encodeWithoutSpecialTokens}.
     */
    public long[] encodeAsText(String text) {
        List<long[]> pieces = new ArrayList<>();
        int start = 0;
        int plain = 0;
        while (start < text.length()) {
            Optional<String> special = specialAt(text, start);
            if (special.isEmpty()) {
                start++;
                continue;
            }
            if (plain < start) pieces.add(encodeWithoutSpecialTokens(text.substring(plain, start)));
            special.get().codePoints().forEach(c -> pieces.add(encodeWithoutSpecialTokens(Character.toString(c))));
            start += special.get().length();
            plain = start;
        }
        if (plain < text.length()) pieces.add(encodeWithoutSpecialTokens(text.substring(plain)));
        return pieces.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    }

    /** Whether {@code text} spells one of the special tokens. */
    public boolean spellsSpecialToken(String text) {
        return vocabulary.specialTokens().stream().anyMatch(text::contains);
    }

    private Optional<String> specialAt(String text, int index) {
        return vocabulary.specialTokens().stream()
                .filter(token -> text.startsWith(token, index))
                .findFirst();
    }

    /** The text of {@code ids}, leaving out special tokens. */
    public String decode(long[] ids) {
        return decode(ids, true);
    }

    /**
     * The text of {@code ids}. Bytes that do not form complete UTF-8 characters decode to U+FFFD,
     * as in the Rust library.
     */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return open().decode(ids, skipSpecialTokens);
    }

    /**
     * The bytes token {@code id} stands for on its own, as far as the file says: a byte-level
     * token's bytes (GPT-2's alphabet), a byte-fallback token's byte ({@code <0xE4>}), else the
     * UTF-8 of its text decoded alone. Tokens that carry part of a character have no text of their
     * own; these are their bytes.
     */
    public byte[] tokenBytes(long id) {
        Optional<String> spelled = isSpecial(id) ? Optional.empty() : vocabulary.spelling(id);
        if (spelled.isPresent()
                && vocabulary.byteFallback()
                && BYTE_TOKEN.matcher(spelled.get()).matches()) {
            return new byte[] {(byte) Integer.parseInt(spelled.get().substring(3, 5), 16)};
        }
        if (spelled.isPresent()
                && vocabulary.byteLevel()
                && spelled.get().chars().allMatch(c -> ByteLevelAlphabet.contains((char) c))) {
            return ByteLevelAlphabet.decode(spelled.get());
        }
        return decode(new long[] {id}, false).getBytes(StandardCharsets.UTF_8);
    }

    /** One more than the largest id in the file's {@code model.vocab} and {@code added_tokens}. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /**
     * The length in chars of the longest token as the file spells it. A text of {@code n} chars
     * encodes to at least about {@code n / longestTokenLength()} tokens: with it a server can tell
     * that a prompt is far over a context without encoding it.
     */
    public int longestTokenLength() {
        return vocabulary.longestToken();
    }

    /** The id of a vocabulary entry or added token spelled exactly {@code token}, e.g. an EOS token. */
    public OptionalLong tokenId(String token) {
        return vocabulary.idOf(token);
    }

    /** Whether {@code id} is an added token marked special, which {@link #decode(long[])} skips. */
    public boolean isSpecial(long id) {
        return vocabulary.isSpecial(id);
    }

    /**
     * Why the ids of this tokenizer and {@code other} do not mean the same tokens, or empty when they
     * do: the smaller vocabulary must be a prefix of the larger one, every token of it keeping its
     * id (models that share a tokenizer, or whose vocabulary only adds tokens at the end).
     */
    public Optional<String> prefixMismatch(TextTokenizer other) {
        TextTokenizer smaller = vocabSize() <= other.vocabSize() ? this : other;
        TextTokenizer larger = smaller == this ? other : this;
        return smaller.vocabulary
                .firstDisagreement(larger.vocabulary)
                .map(token -> "token \"" + token + "\" is id "
                        + smaller.vocabulary.idOf(token).getAsLong() + " in " + smaller.file + " but "
                        + idText(larger.vocabulary.idOf(token)) + " in " + larger.file);
    }

    private static String idText(OptionalLong id) {
        return id.isPresent() ? "id " + id.getAsLong() : "absent";
    }

    /** The {@code tokenizer.json} this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            tokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "TextTokenizer[" + file + ", vocabSize=" + vocabSize() + (closed.get() ? ", closed]" : "]");
    }

    private HuggingFaceTokenizer open() {
        if (closed.get()) {
            throw new IllegalStateException("the tokenizer of " + file + " is closed");
        }
        return tokenizer;
    }

    private static void preferOfflineDjl() {
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
