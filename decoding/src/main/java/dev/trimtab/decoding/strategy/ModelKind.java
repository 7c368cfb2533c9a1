package dev.trimtab.decoding.strategy;

import java.util.Locale;

/**
 * The kinds of auxiliary model a base model may be served with, the same five from the server's
 * YAML ({@link #configKey()}) down to the strategies, each of which names the kinds it accepts for
 * each of its model fields.
 */
public enum ModelKind {
    /** An aligned policy, a language model: DeRa's aligned model. */
    ALIGNED("aligned", "aligned policies", ModelRole.POLICY, Layout.LANGUAGE_MODEL),
    /** An autoregressive reward model, a language model: GenARM's ARMs. */
    ARM("arms", "autoregressive reward models", ModelRole.POLICY, Layout.LANGUAGE_MODEL),
    /** A reward model with a score head, stepped with its KV cache: ARGS's reward model. */
    SCORER("scorers", "score-head reward models", ModelRole.REWARD, Layout.SCORE_HEAD),
    /** A prefix scorer (value function) with a score head, stepped with its KV cache: controlled decoding's. */
    PREFIX_SCORER("prefix_scorers", "prefix scorers", ModelRole.REWARD, Layout.SCORE_HEAD),
    /** A reward model that scores whole sequences: best-of-N's. */
    REWARD_MODEL("reward_models", "sequence reward models", ModelRole.REWARD, Layout.SEQUENCE);

    /** How a kind's models are run. */
    public enum Layout {
        /** A decoder with past whose logits span a vocabulary, stepped in a lane. */
        LANGUAGE_MODEL,
        /** A decoder with past whose logits are one score per position, stepped in a lane. */
        SCORE_HEAD,
        /** A {@link SequenceRewardModel}, called with whole sequences. */
        SEQUENCE
    }

    private final String configKey;
    private final String description;
    private final ModelRole role;
    private final Layout layout;

    ModelKind(String configKey, String description, ModelRole role, Layout layout) {
        this.configKey = configKey;
        this.description = description;
        this.role = role;
        this.layout = layout;
    }

    /** The key of this kind's section in a server config and in {@code /v1/models}, e.g. {@code prefix_scorers}. */
    public String configKey() {
        return configKey;
    }

    /** Plural words for messages, e.g. {@code "autoregressive reward models"}. */
    public String description() {
        return description;
    }

    /** The role the kind's models play in a request's accounting. */
    public ModelRole role() {
        return role;
    }

    public Layout layout() {
        return layout;
    }

    /** The lowercase wire name, e.g. {@code prefix_scorer}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
