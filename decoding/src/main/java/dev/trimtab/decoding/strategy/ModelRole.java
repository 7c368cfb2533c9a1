package dev.trimtab.decoding.strategy;

import java.util.Locale;

/** What a model does for a request; accounting groups the models by it. */
public enum ModelRole {
    /** The language model being decoded (DeRa's reference, GenARM's base). */
    BASE,
    /** Another language model whose logits are mixed in: DeRa's aligned policy, GenARM's ARMs. */
    POLICY,
    /** A reward model or prefix scorer: a score-head decoder stepped with KV cache, or a sequence scorer. */
    REWARD;

    /** The lowercase name used in metrics and responses. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
