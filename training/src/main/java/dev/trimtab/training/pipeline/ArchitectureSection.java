package dev.trimtab.training.pipeline;

import dev.trimtab.decoding.onnx.DecoderSpec;
import java.util.Set;

/**
 * A decoder shape; the vocabulary comes from the trained tokenizer.
 *
 * @param family {@code gpt2} or {@code llama}
 * @param layers decoder layers
 * @param hidden model width
 * @param heads attention heads
 * @param kvHeads key/value heads (llama; default: heads)
 * @param intermediate MLP width (llama; default: 8/3 hidden rounded up to a multiple of 8; gpt2
 *     always uses 4 hidden)
 * @param context longest sequence, prompt and completion together
 */
public record ArchitectureSection(
        DecoderSpec.Family family, int layers, int hidden, int heads, int kvHeads, int intermediate, int context) {

    static ArchitectureSection read(ConfigNode node) {
        node.onlyKeys(Set.of("family", "layers", "hidden", "heads", "kv_heads", "intermediate", "context"));
        String familyText = node.text("family", "gpt2");
        DecoderSpec.Family family =
                switch (familyText) {
                    case "gpt2" -> DecoderSpec.Family.GPT2;
                    case "llama" -> DecoderSpec.Family.LLAMA;
                    default -> {
                        node.errors().add(node.path() + ".family must be gpt2 or llama, got " + familyText);
                        yield DecoderSpec.Family.GPT2;
                    }
                };
        int hidden = node.integer("hidden", 64, 1, 65_536);
        int heads = node.integer("heads", 4, 1, 1024);
        ArchitectureSection section = new ArchitectureSection(
                family,
                node.integer("layers", 2, 0, 256),
                hidden,
                heads,
                node.integer("kv_heads", heads, 1, 1024),
                node.integer("intermediate", (hidden * 8 / 3 + 7) / 8 * 8, 1, 1 << 20),
                node.integer("context", 128, 2, 1 << 20));
        try {
            section.spec(512);
        } catch (IllegalArgumentException e) {
            node.errors().add(node.path() + ": " + e.getMessage());
        }
        return section;
    }

    /** The decoder spec for a tokenizer of {@code vocab} ids. */
    public DecoderSpec spec(int vocab) {
        return family == DecoderSpec.Family.GPT2
                ? DecoderSpec.gpt2(layers, hidden, heads, vocab, context)
                : DecoderSpec.llama(layers, hidden, heads, kvHeads, intermediate, vocab, context);
    }
}
