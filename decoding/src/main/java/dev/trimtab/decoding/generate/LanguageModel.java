package dev.trimtab.decoding.generate;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.Set;

/**
 * A model directory loaded whole: the decoder and its tokenizer, checked against each other (the
 * tokenizer's ids must fit in the model's logits; models often pad their vocabulary, never the
 * reverse).
 */
public final class LanguageModel implements AutoCloseable {
    private final DecoderModel decoder;
    private final TextTokenizer tokenizer;

    private LanguageModel(DecoderModel decoder, TextTokenizer tokenizer) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
    }

    public static LanguageModel load(Path directory, SessionSettings settings) throws OrtException {
        DecoderModel decoder = DecoderModel.load(directory, settings);
        try {
            TextTokenizer tokenizer = TextTokenizer.load(directory);
            if (tokenizer.vocabSize() > decoder.vocabSize()) {
                tokenizer.close();
                throw new IllegalArgumentException(tokenizer.file() + " has " + tokenizer.vocabSize()
                        + " tokens but the logits of " + decoder.files().graph() + " have " + decoder.vocabSize()
                        + " entries: the tokenizer's vocabulary must fit in the model's");
            }
            return new LanguageModel(decoder, tokenizer);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    public DecoderModel decoder() {
        return decoder;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Ids that end a sequence, from {@code config.json} and {@code generation_config.json}. */
    public Set<Long> eosTokenIds() {
        return decoder.config().eosTokenIds();
    }

    @Override
    public void close() throws OrtException {
        try (decoder) {
            tokenizer.close();
        }
    }
}
