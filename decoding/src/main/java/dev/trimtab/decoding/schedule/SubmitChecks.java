package dev.trimtab.decoding.schedule;

import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.strategy.AlignmentModels;
import dev.trimtab.decoding.strategy.AuxiliaryModel;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.StrategyPlan;

/** The checks {@link Scheduler#submit} runs before a request may queue. */
final class SubmitChecks {
    private SubmitChecks() {}

    /** Max tokens, or less where the prompt nearly fills a model's context. */
    static int tokenLimit(AlignmentModels models, DecodeRequest request, StrategyPlan plan) {
        int prompt = request.promptLength();
        int room = room(prompt, models.base().decoder().contextLength(), "the model's context");
        for (AuxiliaryModel lane : plan.lanes()) {
            room = Math.min(room, room(prompt, lane.decoder().contextLength(), "the context of '" + lane.name() + "'"));
        }
        for (NamedRewardModel model : plan.rewardModels()) {
            room = Math.min(room, room(prompt, model.model().contextLength(), "the context of '" + model.name() + "'"));
        }
        return Math.min(request.sampling().maxTokens(), room);
    }

    private static int room(int prompt, int context, String where) {
        if (context - prompt < 1) {
            throw new InvalidRequestException(
                    InvalidRequestException.Code.CONTEXT_LENGTH_EXCEEDED,
                    "prompt",
                    "prompt has " + prompt + " tokens, which leaves no room to generate within " + where + " of "
                            + context);
        }
        return context - prompt;
    }

    /** Every prompt id must be an input of every model the request uses. */
    static void promptIds(AlignmentModels models, DecodeRequest request, StrategyPlan plan) {
        int limit = models.base().decoder().inputVocabSize();
        String limiting = models.baseName();
        for (AuxiliaryModel lane : plan.lanes()) {
            if (lane.decoder().inputVocabSize() < limit) {
                limit = lane.decoder().inputVocabSize();
                limiting = lane.name();
            }
        }
        for (NamedRewardModel model : plan.rewardModels()) {
            if (model.model().inputVocabSize() < limit) {
                limit = model.model().inputVocabSize();
                limiting = model.name();
            }
        }
        for (int i = 0; i < request.promptLength(); i++) {
            long id = request.promptId(i);
            if (id < 0 || id >= limit) {
                throw InvalidRequestException.invalid(
                        "prompt",
                        "prompt token ids must be in [0, " + limit + ") for '" + limiting + "', got " + id
                                + " at index " + i);
            }
        }
    }
}
