package dev.trimtab.decoding.strategy;

import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models one scheduler decodes with: a base language model and the auxiliary models its
 * requests may name, each of one {@link ModelKind}. Vocabularies are checked here, when the models
 * are put together, so that a request never meets an incompatible pair: an auxiliary model's ids
 * must mean the same tokens as the base's up to the smaller vocabulary (equal vocabularies, or one a
 * prefix of the other); the ids beyond it are masked by the strategies that use the model.
 *
 * <p>Immutable: every {@code with} method returns a copy. The models are not owned: whoever loaded
 * them closes them, after the scheduler.
 */
public final class AlignmentModels {
    private final String baseName;
    private final LanguageModel base;
    private final Set<Long> eos;
    private final Map<String, AuxiliaryModel> decoders;
    private final Map<String, NamedRewardModel> rewardModels;

    private AlignmentModels(
            String baseName,
            LanguageModel base,
            Set<Long> eos,
            Map<String, AuxiliaryModel> decoders,
            Map<String, NamedRewardModel> rewardModels) {
        this.baseName = baseName;
        this.base = base;
        this.eos = Set.copyOf(eos);
        this.decoders = decoders;
        this.rewardModels = rewardModels;
    }

    /** The base {@code base}, named {@code name} in accounting, with no auxiliary model. */
    public static AlignmentModels of(String name, LanguageModel base) {
        checkName("base", name);
        return new AlignmentModels(name, base, base.eosTokenIds(), Map.of(), Map.of());
    }

    /**
     * Adds a decoder of {@code kind} stepped in its own lane. A language model ({@link
     * ModelKind#ALIGNED}, {@link ModelKind#ARM}) must have a language-model head; with {@code
     * tokenizer} its vocabulary is checked token by token, without, its ids are taken to mean the
     * base's. A scorer ({@link ModelKind#SCORER}, {@link ModelKind#PREFIX_SCORER}) must have a score
     * head; its input ids are taken to mean the base's.
     *
     * @throws IllegalArgumentException if the name is taken by another decoder (lanes need unique
     *     names), the kind is not a decoder's, the head does not fit the kind, the vocabularies
     *     disagree, or an end-of-sequence id of the base falls outside the shared ids
     */
    public AlignmentModels withDecoder(
            ModelKind kind, String name, DecoderModel model, Optional<TextTokenizer> tokenizer) {
        checkNew(name, decoders);
        int shared =
                switch (kind.layout()) {
                    case LANGUAGE_MODEL -> languageModelIds(kind, name, model, tokenizer);
                    case SCORE_HEAD -> scorerIds(kind, name, model);
                    case SEQUENCE ->
                        throw new IllegalArgumentException("'" + name + "': " + kind.description()
                                + " score whole sequences; register them with withRewardModel");
                };
        AuxiliaryModel added = new AuxiliaryModel(name, kind, model, shared);
        return new AlignmentModels(baseName, base, eos, plus(decoders, name, added), rewardModels);
    }

    private int languageModelIds(ModelKind kind, String name, DecoderModel model, Optional<TextTokenizer> tokenizer) {
        if (model.vocabSize() == 1) {
            throw new IllegalArgumentException("'" + name + "' has a score head (logits width 1); " + kind.description()
                    + " need a language-model head");
        }
        tokenizer.flatMap(base.tokenizer()::prefixMismatch).ifPresent(why -> {
            throw new IllegalArgumentException("'" + name + "' has a vocabulary incompatible with the base '" + baseName
                    + "': " + why + "; the vocabularies must be equal or one a prefix of the other");
        });
        return shared(name, Math.min(model.vocabSize(), model.inputVocabSize()));
    }

    private int scorerIds(ModelKind kind, String name, DecoderModel model) {
        if (model.vocabSize() != 1) {
            throw new IllegalArgumentException("'" + name + "': " + kind.description()
                    + " must have a score head (logits width 1), got " + model.vocabSize()
                    + " logits: export it with DecoderSpec.withScoreHead()");
        }
        return shared(name, model.inputVocabSize());
    }

    /**
     * Adds a sequence reward model (best-of-N ranks its candidates with it); its input ids are taken
     * to mean the base's. A score-head decoder may be registered under one name both here and as a
     * scorer.
     */
    public AlignmentModels withRewardModel(String name, SequenceRewardModel model) {
        checkNew(name, rewardModels);
        NamedRewardModel named = new NamedRewardModel(name, model, shared(name, model.inputVocabSize()));
        return new AlignmentModels(baseName, base, eos, decoders, plus(rewardModels, name, named));
    }

    /**
     * Replaces the ids that end a sequence (the base's {@code config.json} and {@code
     * generation_config.json} by default), e.g. with a chat model's end-of-turn token.
     */
    public AlignmentModels withEndOfSequence(Set<Long> ids) {
        for (long id : ids) {
            if (id < 0 || id >= base.decoder().vocabSize()) {
                throw new IllegalArgumentException(
                        "end-of-sequence ids must be in [0, " + base.decoder().vocabSize() + "), got " + id);
            }
        }
        return new AlignmentModels(baseName, base, ids, decoders, rewardModels);
    }

    public String baseName() {
        return baseName;
    }

    public LanguageModel base() {
        return base;
    }

    /** Ids that end a sequence. */
    public Set<Long> eosTokenIds() {
        return eos;
    }

    /** Every auxiliary decoder (each has a lane), by name, in registration order. */
    public Map<String, AuxiliaryModel> decoders() {
        return decoders;
    }

    /** Sequence reward models, by name, in registration order. */
    public Map<String, NamedRewardModel> rewardModels() {
        return rewardModels;
    }

    /** The names of the models of {@code kind}, in registration order. */
    public List<String> names(ModelKind kind) {
        if (kind == ModelKind.REWARD_MODEL) {
            return List.copyOf(rewardModels.keySet());
        }
        return decoders.values().stream()
                .filter(model -> model.kind() == kind)
                .map(AuxiliaryModel::name)
                .toList();
    }

    /** The distinct names of the models of {@code kinds}, in the order of {@code kinds}, then of registration. */
    public List<String> names(List<ModelKind> kinds) {
        return kinds.stream().flatMap(kind -> names(kind).stream()).distinct().toList();
    }

    /**
     * The decoder of {@code kind} that {@code name} names, or the only one of that kind when {@code
     * name} is empty.
     *
     * @param field the request field that names it, e.g. {@code alignment.aligned}
     * @throws InvalidRequestException {@link InvalidRequestException.Code#UNKNOWN_MODEL} for a name
     *     that is not served, {@link InvalidRequestException.Code#WRONG_MODEL_KIND} for a model of
     *     another kind, {@link InvalidRequestException.Code#INVALID_VALUE} when the name is needed
     */
    public AuxiliaryModel decoder(String field, Optional<String> name, ModelKind kind) {
        if (kind.layout() == ModelKind.Layout.SEQUENCE) {
            throw new IllegalArgumentException(kind.description() + " are not decoders: use rewardModel");
        }
        return decoders.get(resolve(field, name, List.of(kind)).name());
    }

    /** The sequence reward model {@code name}, or the only one when {@code name} is empty; as {@link #decoder}. */
    public NamedRewardModel rewardModel(String field, Optional<String> name) {
        return rewardModels.get(
                resolve(field, name, List.of(ModelKind.REWARD_MODEL)).name());
    }

    /**
     * The kind under which a field accepting {@code kinds} (in order of preference) finds the model
     * {@code name}: the first of them that serves that name, so that a model registered both as a
     * scorer and as a reward model takes the scorer's incremental path. An empty name takes the
     * only model of the first accepted kind the base serves any of, and needs a name when that kind
     * has several; {@link #decoder} or {@link #rewardModel} with that kind then give the model.
     *
     * @throws InvalidRequestException as {@link #decoder}
     */
    public ModelKind kind(String field, Optional<String> name, List<ModelKind> kinds) {
        return resolve(field, name, kinds).kind();
    }

    private record Resolved(String name, ModelKind kind) {}

    private Resolved resolve(String field, Optional<String> name, List<ModelKind> kinds) {
        if (name.isEmpty()) {
            return only(field, kinds);
        }
        String wanted = name.get();
        for (ModelKind kind : kinds) {
            if (names(kind).contains(wanted)) {
                return new Resolved(wanted, kind);
            }
        }
        Optional<ModelKind> other = kindOf(wanted);
        if (other.isPresent()) {
            throw new InvalidRequestException(
                    InvalidRequestException.Code.WRONG_MODEL_KIND,
                    field,
                    field + " names '" + wanted + "', one of the " + other.get().description() + " ("
                            + other.get().configKey() + ") of '" + baseName + "'; it must name one of its "
                            + describe(kinds, true) + " " + names(kinds));
        }
        throw new InvalidRequestException(
                InvalidRequestException.Code.UNKNOWN_MODEL,
                field,
                field + " must name one of the " + describe(kinds, false) + " of '" + baseName + "' " + names(kinds)
                        + ", got '" + wanted + "'");
    }

    private Resolved only(String field, List<ModelKind> kinds) {
        for (ModelKind kind : kinds) {
            List<String> names = names(kind);
            if (names.size() == 1) {
                return new Resolved(names.get(0), kind);
            }
            if (names.size() > 1) {
                throw InvalidRequestException.invalid(
                        field,
                        field + " is required: '" + baseName + "' has " + kind.description() + " " + names
                                + " to choose from");
            }
        }
        throw InvalidRequestException.invalid(
                field, field + " is required: '" + baseName + "' has no " + describe(kinds, false));
    }

    /** {@code "prefix scorers (prefix_scorers) or sequence reward models (reward_models)"}. */
    private static String describe(List<ModelKind> kinds, boolean withKeys) {
        return String.join(
                " or ",
                kinds.stream()
                        .map(kind -> withKeys ? kind.description() + " (" + kind.configKey() + ")" : kind.description())
                        .toList());
    }

    private Optional<ModelKind> kindOf(String name) {
        if (decoders.containsKey(name)) {
            return Optional.of(decoders.get(name).kind());
        }
        return rewardModels.containsKey(name) ? Optional.of(ModelKind.REWARD_MODEL) : Optional.empty();
    }

    /** Ids the base and a model accepting {@code modelIds} ids share; every EOS id must be one. */
    private int shared(String name, int modelIds) {
        int shared = Math.min(base.decoder().vocabSize(), modelIds);
        for (long id : eos) {
            if (id >= shared) {
                throw new IllegalArgumentException("'" + name + "' accepts token ids [0, " + modelIds
                        + "), which leaves out the end-of-sequence id " + id + " of the base '" + baseName + "'");
            }
        }
        return shared;
    }

    private static void checkName(String kind, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(kind + " name must be a non-blank string, got '" + name + "'");
        }
    }

    private void checkNew(String name, Map<String, ?> existing) {
        checkName("model", name);
        if (existing.containsKey(name) || name.equals(baseName)) {
            throw new IllegalArgumentException("model name '" + name + "' is already taken by "
                    + (name.equals(baseName) ? "the base" : existing.keySet()));
        }
    }

    private static <T> Map<String, T> plus(Map<String, T> map, String key, T value) {
        Map<String, T> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }
}
