package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.generate.LanguageModel;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models one {@link Scheduler} decodes with: a base language model and the auxiliary models
 * its requests may name. Vocabularies are checked here, when the models are put together, so that a
 * request never meets an incompatible pair: an auxiliary model's ids must mean the same tokens as
 * the base's up to the smaller vocabulary (equal vocabularies, or one a prefix of the other); the
 * ids beyond it are masked by the strategies that use the model.
 *
 * <p>Immutable: every {@code with} method returns a copy. The models are not owned: whoever loaded
 * them closes them, after the scheduler.
 */
public final class AlignmentModels {
    private final String baseName;
    private final LanguageModel base;
    private final Set<Long> eos;
    private final Map<String, AuxiliaryModel> policies;
    private final Map<String, AuxiliaryModel> scorers;
    private final Map<String, NamedRewardModel> rewardModels;

    private AlignmentModels(
            String baseName,
            LanguageModel base,
            Set<Long> eos,
            Map<String, AuxiliaryModel> policies,
            Map<String, AuxiliaryModel> scorers,
            Map<String, NamedRewardModel> rewardModels) {
        this.baseName = baseName;
        this.base = base;
        this.eos = Set.copyOf(eos);
        this.policies = policies;
        this.scorers = scorers;
        this.rewardModels = rewardModels;
    }

    /** The base {@code base}, named {@code name} in accounting, with no auxiliary model. */
    public static AlignmentModels of(String name, LanguageModel base) {
        checkName("base", name);
        return new AlignmentModels(name, base, base.eosTokenIds(), Map.of(), Map.of(), Map.of());
    }

    /**
     * Adds a language model whose logits strategies mix with the base's (DeRa's aligned policy,
     * GenARM's autoregressive reward models). With {@code tokenizer} its vocabulary is checked
     * token by token; without, its ids are taken to mean the base's.
     *
     * @throws IllegalArgumentException if the name is taken, the model has a score head, the
     *     vocabularies disagree, or an end-of-sequence id of the base falls outside the shared ids
     */
    public AlignmentModels withPolicy(String name, DecoderModel policy, Optional<TextTokenizer> tokenizer) {
        checkNew(name, policies);
        if (policy.vocabSize() == 1) {
            throw new IllegalArgumentException("policy '" + name + "' has a score head (logits width 1); a policy"
                    + " needs a language-model head: register it with withScorer instead");
        }
        tokenizer.flatMap(base.tokenizer()::prefixMismatch).ifPresent(why -> {
            throw new IllegalArgumentException("policy '" + name + "' has a vocabulary incompatible with the base '"
                    + baseName + "': " + why + "; the vocabularies must be equal or one a prefix of the other");
        });
        int shared = shared(name, Math.min(policy.vocabSize(), policy.inputVocabSize()));
        AuxiliaryModel model = new AuxiliaryModel(name, ModelRole.POLICY, policy, shared);
        return new AlignmentModels(baseName, base, eos, plus(policies, name, model), scorers, rewardModels);
    }

    /**
     * Adds a score-head decoder (one scalar per position) stepped with its KV cache: ARGS's reward
     * model, controlled decoding's prefix scorer. Its input ids are taken to mean the base's.
     *
     * @throws IllegalArgumentException if the name is taken, the model has no score head, or an
     *     end-of-sequence id of the base falls outside the ids it accepts
     */
    public AlignmentModels withScorer(String name, DecoderModel scorer) {
        checkNew(name, scorers);
        if (scorer.vocabSize() != 1) {
            throw new IllegalArgumentException("scorer '" + name + "' must have a score head (logits width 1), got "
                    + scorer.vocabSize() + " logits: export it with DecoderSpec.withScoreHead()");
        }
        AuxiliaryModel model =
                new AuxiliaryModel(name, ModelRole.REWARD, scorer, shared(name, scorer.inputVocabSize()));
        return new AlignmentModels(baseName, base, eos, policies, plus(scorers, name, model), rewardModels);
    }

    /**
     * Adds a sequence reward model (best-of-N ranks its candidates with it); its input ids are taken
     * to mean the base's. A score-head decoder may be registered under one name both here and as a
     * scorer.
     */
    public AlignmentModels withRewardModel(String name, SequenceRewardModel model) {
        checkNew(name, rewardModels);
        NamedRewardModel named = new NamedRewardModel(name, model, shared(name, model.inputVocabSize()));
        return new AlignmentModels(baseName, base, eos, policies, scorers, plus(rewardModels, name, named));
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
        return new AlignmentModels(baseName, base, ids, policies, scorers, rewardModels);
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

    /** Aligned policies and autoregressive reward models, by name, in registration order. */
    public Map<String, AuxiliaryModel> policies() {
        return policies;
    }

    /** Score-head decoders, by name, in registration order. */
    public Map<String, AuxiliaryModel> scorers() {
        return scorers;
    }

    /** Sequence reward models, by name, in registration order. */
    public Map<String, NamedRewardModel> rewardModels() {
        return rewardModels;
    }

    /**
     * The policy {@code name}, or the only one when {@code name} is empty.
     *
     * @param field the request field that names it, e.g. {@code alignment.aligned}
     */
    public AuxiliaryModel policy(String field, Optional<String> name) {
        return policies.get(resolve(field, name, policies.keySet(), "policies"));
    }

    /** The scorer {@code name}, or the only one when {@code name} is empty. */
    public AuxiliaryModel scorer(String field, Optional<String> name) {
        return scorers.get(resolve(field, name, scorers.keySet(), "score-head reward models"));
    }

    /** The sequence reward model {@code name}, or the only one when {@code name} is empty. */
    public NamedRewardModel rewardModel(String field, Optional<String> name) {
        return rewardModels.get(resolve(field, name, rewardModels.keySet(), "sequence reward models"));
    }

    private String resolve(String field, Optional<String> name, Collection<String> names, String what) {
        if (name.isPresent()) {
            if (!names.contains(name.get())) {
                throw new IllegalArgumentException(field + " must name one of the " + what + " of '" + baseName + "' "
                        + names + ", got '" + name.get() + "'");
            }
            return name.get();
        }
        if (names.size() != 1) {
            throw new IllegalArgumentException(field + " is required: '" + baseName + "' has "
                    + (names.isEmpty() ? "no " + what : what + " " + names + " to choose from"));
        }
        return names.iterator().next();
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

    private static void checkNew(String name, Map<String, ?> existing) {
        checkName("model", name);
        if (existing.containsKey(name)) {
            throw new IllegalArgumentException("model name '" + name + "' is already taken by " + existing.keySet());
        }
    }

    private static <T> Map<String, T> plus(Map<String, T> map, String key, T value) {
        Map<String, T> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }
}
