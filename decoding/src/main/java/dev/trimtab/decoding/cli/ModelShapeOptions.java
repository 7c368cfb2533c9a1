package dev.trimtab.decoding.cli;

import dev.trimtab.decoding.onnx.DecoderSpec;
import picocli.CommandLine.Option;

/** Options describing a random decoder's shape, shared by {@code make-model} and {@code bench}. */
final class ModelShapeOptions {
    @Option(names = "--family", defaultValue = "GPT2", description = "GPT2 or LLAMA (default ${DEFAULT-VALUE}).")
    DecoderSpec.Family family;

    @Option(names = "--layers", defaultValue = "4", description = "Decoder layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--hidden", defaultValue = "256", description = "Model width (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", description = "Key/value heads (LLAMA; default: heads / 2 where even, else heads).")
    Integer kvHeads;

    @Option(
            names = "--vocab",
            defaultValue = "0",
            description = "Vocabulary size, at least the tokenizer's (default: the tokenizer's).")
    int vocab;

    @Option(names = "--context", defaultValue = "1024", description = "Context length (default ${DEFAULT-VALUE}).")
    int context;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
    long seed;

    /** The spec, with the vocabulary at least {@code tokenizerVocab}. */
    DecoderSpec spec(int tokenizerVocab) {
        if (vocab != 0 && vocab < tokenizerVocab) {
            throw new IllegalArgumentException(
                    "--vocab must be at least the tokenizer's " + tokenizerVocab + ", got " + vocab);
        }
        int size = Math.max(vocab, tokenizerVocab);
        if (family == DecoderSpec.Family.GPT2) {
            return DecoderSpec.gpt2(layers, hidden, heads, size, context);
        }
        int kv = kvHeads != null ? kvHeads : heads % 2 == 0 ? heads / 2 : heads;
        return DecoderSpec.llama(layers, hidden, heads, kv, hidden * 8 / 3, size, context);
    }
}
