package dev.trimtab.server.serving;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.rewards.model.RetokenizedRewardModel;
import dev.trimtab.rewards.model.RewardModel;
import dev.trimtab.rewards.model.ScoreHeadRewardModel;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.ClassifyRequest;
import dev.trimtab.server.api.PromptInput;
import dev.trimtab.server.metrics.ServingMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores texts with a base model's served reward models ({@code reward_models}, then score-head
 * reward models, {@code scorers}), for {@code POST /v1/classify}: each text encoded with the reward
 * model's tokenizer (its own where it has one that differs from the base's), then every label's
 * logit in one batch. Runs on the calling prompt worker, beside the scheduler (ONNX Runtime
 * sessions run concurrently); nothing is queued.
 */
final class RewardScoring {
    /** The label that scoring records in the {@code strategy} tag of the serving metrics. */
    static final String METRICS_STRATEGY = "classify";

    /** A served reward model with the tokenizer its texts are encoded with (whether its own). */
    private record Scorer(RewardModel model, TextTokenizer tokenizer, boolean ownTokenizer, PromptBound bound) {}

    private final String baseName;
    private final AlignmentModels models;
    private final Map<String, Scorer> scorers;
    private final ServingMetrics metrics;

    private RewardScoring(
            String baseName, AlignmentModels models, Map<String, Scorer> scorers, ServingMetrics metrics) {
        this.baseName = baseName;
        this.models = models;
        this.scorers = scorers;
        this.metrics = metrics;
    }

    /** The kinds a request's {@code reward_model} may name, in order of preference. */
    private static final List<ModelKind> KINDS = List.of(ModelKind.REWARD_MODEL, ModelKind.SCORER);

    /** The reward models of {@code models} that the project loaded, and its score-head reward models. */
    static RewardScoring of(String baseName, AlignmentModels models, ServingMetrics metrics) {
        Map<String, Scorer> scorers = new LinkedHashMap<>();
        for (String name : models.names(ModelKind.SCORER)) {
            DecoderModel decoder = models.decoder("reward_model", Optional.of(name), ModelKind.SCORER)
                    .decoder();
            scorers.put(
                    name, scorer(ScoreHeadRewardModel.of(decoder), models.base().tokenizer(), false));
        }
        // a name served as both takes the reward model, as requests resolve it
        for (NamedRewardModel named : models.rewardModels().values()) {
            switch (named.model()) {
                case RetokenizedRewardModel own ->
                    scorers.put(named.name(), scorer(own.model(), own.tokenizer(), true));
                case RewardModel shared ->
                    scorers.put(named.name(), scorer(shared, models.base().tokenizer(), false));
                default -> {
                    // another implementation (a test's): not served by this endpoint
                }
            }
        }
        return new RewardScoring(baseName, models, Map.copyOf(scorers), metrics);
    }

    private static Scorer scorer(RewardModel model, TextTokenizer tokenizer, boolean own) {
        return new Scorer(
                model, tokenizer, own, new PromptBound(model.contextLength(), tokenizer.longestTokenLength()));
    }

    /**
     * Adds {@code reward_model_labels} to a {@code /v1/models} entry: per reward model its labels,
     * the reward's label, and whose tokenizer reads it ({@code own}: the policy's candidates are
     * re-tokenized as text; {@code base}: its ids are the base's).
     */
    void describe(ObjectNode card) {
        ObjectNode described = card.putObject("reward_model_labels");
        scorers.forEach((name, scorer) -> {
            ObjectNode entry = described.putObject(name);
            scorer.model().labels().names().forEach(entry.putArray("labels")::add);
            entry.put("reward_label", scorer.model().labels().reward());
            scorer.model().labels().problemType().ifPresent(type -> entry.put("problem_type", type));
            entry.put("tokenizer", scorer.ownTokenizer() ? "own" : "base");
        });
    }

    /**
     * Every input's logits under the requested reward model.
     *
     * @throws ApiException 404 for an unknown reward model, 400 for an input that is empty, over the
     *     reward model's context or holds an id outside its vocabulary
     */
    ClassifyScores score(ClassifyRequest request) {
        long start = System.nanoTime();
        String name = resolve(request.rewardModel());
        Scorer scorer = scorers.get(name);
        if (scorer == null) {
            throw ApiException.invalid("reward_model", "reward model '" + name + "' cannot score text here");
        }
        List<long[]> sequences = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            String field = request.inputs().size() == 1 ? "input" : "input[" + i + "]";
            sequences.add(check(scorer, tokens(scorer, request.inputs().get(i), field), field));
        }
        float[][] logits;
        try {
            logits = scorer.model().logits(sequences);
        } catch (OrtException e) {
            throw new ApiException(
                    500, "server_error", null, "internal_error", "scoring failed in ONNX Runtime: " + e.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int promptTokens = sequences.stream().mapToInt(ids -> ids.length).sum();
        metrics.rewardModelCall(baseName, name, took);
        metrics.endToEndLatency(baseName, METRICS_STRATEGY, took);
        metrics.finished(baseName, METRICS_STRATEGY, "stop", promptTokens, 0);
        return new ClassifyScores(name, scorer.model().labels(), List.of(logits), promptTokens);
    }

    /** The model {@code reward_model} names (a reward model before a scorer of the same name), or the only one. */
    private String resolve(Optional<String> name) {
        try {
            ModelKind kind = models.kind("reward_model", name, KINDS);
            return kind == ModelKind.REWARD_MODEL
                    ? models.rewardModel("reward_model", name).name()
                    : models.decoder("reward_model", name, kind).name();
        } catch (InvalidRequestException e) {
            throw ApiException.of(e);
        }
    }

    private static long[] tokens(Scorer scorer, PromptInput input, String field) {
        return switch (input) {
            case PromptInput.Text text -> {
                scorer.bound().check(text.text(), field);
                yield scorer.tokenizer().encode(text.text());
            }
            case PromptInput.Tokens tokens -> tokens.ids();
            case PromptInput.Chat chat -> throw ApiException.invalid(field, field + " must be text or token ids");
        };
    }

    private static long[] check(Scorer scorer, long[] ids, String field) {
        RewardModel model = scorer.model();
        if (ids.length == 0) {
            throw ApiException.invalid(field, field + " must hold at least one token");
        }
        if (ids.length > model.contextLength()) {
            throw new ApiException(
                    400,
                    "invalid_request_error",
                    field,
                    "context_length_exceeded",
                    field + " has " + ids.length + " tokens, more than the reward model's context of "
                            + model.contextLength());
        }
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] >= model.inputVocabSize()) {
                throw ApiException.invalid(
                        field,
                        field + "[" + t + "] must be a token id in [0, " + model.inputVocabSize()
                                + ") of the reward model, got " + ids[t]);
            }
        }
        return ids;
    }
}
