package dev.trimtab.decoding.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes {@link ByteLevelBpeTokenizerFile#demo()} into a directory and loads it. */
final class DemoTokenizer {

    static final ByteLevelBpeTokenizerFile FILE = ByteLevelBpeTokenizerFile.demo();

    private DemoTokenizer() {}

    /** The demo tokenizer, loaded from {@code directory/tokenizer.json}; the caller closes it. */
    static TextTokenizer load(Path directory) {
        try {
            FILE.write(directory.resolve(ByteLevelBpeTokenizerFile.FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TextTokenizer.load(directory);
    }

    /** The id of {@code token} in the demo vocabulary. */
    static long id(String token) {
        Integer id = FILE.vocabulary().get(token);
        if (id == null) {
            throw new IllegalArgumentException("\"" + token + "\" is not in the demo vocabulary");
        }
        return id;
    }
}
