package dev.trimtab.training.pipeline;

import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.training.data.Records;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.objective.PreferencePair;
import dev.trimtab.training.objective.ScoredSequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns text records into token sequences with the pipeline's tokenizer, the way the server will
 * see them: prompt and completion tokenized separately, end-of-text appended. SFT examples longer
 * than the context are cut; pairs and scored sequences that do not fit are dropped (cutting would
 * change what they compare), and counted.
 */
final class Tokens implements AutoCloseable {
    private final TextTokenizer tokenizer;
    private final long eos;
    private int dropped;

    private Tokens(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.eos = tokenizer
                .tokenId(ByteLevelBpeTokenizerFile.END_OF_TEXT)
                .orElseThrow(() -> new IllegalArgumentException(
                        tokenizer.file() + " has no " + ByteLevelBpeTokenizerFile.END_OF_TEXT));
    }

    /** Loads {@code directory/tokenizer.json}. */
    static Tokens load(Path directory) {
        return new Tokens(TextTokenizer.load(directory));
    }

    long eos() {
        return eos;
    }

    int vocabSize() {
        return tokenizer.vocabSize();
    }

    long[] encode(String text) {
        return tokenizer.encode(text);
    }

    TokenSequence sequence(String prompt, String completion) {
        return TokenSequence.of(tokenizer.encode(prompt), tokenizer.encode(completion), eos);
    }

    List<TokenSequence> sft(List<Records.Sft> records, int context) {
        List<TokenSequence> sequences = new ArrayList<>(records.size());
        for (Records.Sft record : records) {
            sequences.add(sequence(record.prompt(), record.completion()).truncate(context));
        }
        return sequences;
    }

    List<PreferencePair> pairs(List<Records.Preference> records, int context) {
        List<PreferencePair> pairs = new ArrayList<>(records.size());
        for (Records.Preference record : records) {
            TokenSequence chosen = sequence(record.prompt(), record.chosen());
            TokenSequence rejected = sequence(record.prompt(), record.rejected());
            if (chosen.length() <= context && rejected.length() <= context) {
                pairs.add(PreferencePair.of(chosen, rejected));
            } else {
                dropped++;
            }
        }
        return pairs;
    }

    List<ScoredSequence> scored(List<Records.Reward> records, int context) {
        List<ScoredSequence> scored = new ArrayList<>(records.size());
        for (Records.Reward record : records) {
            TokenSequence sequence = sequence(record.prompt(), record.completion());
            if (sequence.length() <= context) {
                scored.add(new ScoredSequence(sequence, record.reward()));
            } else {
                dropped++;
            }
        }
        return scored;
    }

    /** Records dropped for not fitting the context, and resets the count. */
    int takeDropped() {
        int count = dropped;
        dropped = 0;
        return count;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
