package dev.trimtab.training.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a recipe run trains, and what the exported model is for. */
public enum ObjectiveKind {
    /** Supervised fine-tuning of a policy; exported as a causal LM. */
    SFT("policy", false),
    /** Direct Preference Optimization of a policy; exported as a causal LM. */
    DPO("policy", false),
    /** A GenARM autoregressive reward model; exported as a causal LM. */
    ARM("autoregressive_reward_model", false),
    /** A Bradley-Terry sequence reward model; exported in the sequence-classification layout. */
    REWARD_MODEL("reward_model", true),
    /** A CD-FUDGE prefix scorer; exported as a score-head decoder with past. */
    PREFIX_VALUE("prefix_scorer", true);

    private final String modelKind;
    private final boolean scoreHead;

    ObjectiveKind(String modelKind, boolean scoreHead) {
        this.modelKind = modelKind;
        this.scoreHead = scoreHead;
    }

    /** The recipe spelling, e.g. {@code reward_model}. */
    public String recipeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code kind} written to manifests and {@code bundle.json}. */
    public String modelKind() {
        return modelKind;
    }

    public boolean scoreHead() {
        return scoreHead;
    }

    /** Whether the run learns from gold-labelled on-policy samples (everything but SFT). */
    public boolean needsSamples() {
        return this != SFT;
    }

    static Optional<ObjectiveKind> parse(String text) {
        return Arrays.stream(values()).filter(k -> k.recipeName().equals(text)).findFirst();
    }

    static String known() {
        return String.join(
                ", ", Arrays.stream(values()).map(ObjectiveKind::recipeName).toList());
    }
}
