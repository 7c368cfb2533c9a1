package dev.trimtab.decoding.strategy.specrej;

import dev.trimtab.decoding.sampling.LogSoftmax;
import dev.trimtab.decoding.strategy.NamedRewardModel;
import dev.trimtab.decoding.strategy.RequestContext;
import dev.trimtab.decoding.strategy.Row;
import dev.trimtab.decoding.strategy.ScoreTicket;
import java.util.ArrayList;
import java.util.List;

/**
 * How the unfinished candidates are valued at a decision point, one implementation per {@link
 * SpeculativeRejectionParams.Partial}. The decoder calls {@link #afterDraw} once the open
 * candidates drew this round's token, and {@link #endRound} once every lane and reward model ran;
 * at a decision round the open candidates carry their values after {@link #endRound}.
 */
abstract sealed class PartialValues {
    final RequestContext context;

    PartialValues(RequestContext context) {
        this.context = context;
    }

    /** The partial values the request names, or none when nothing is rejected. */
    static PartialValues of(RequestContext context, SpeculativeRejectionParams params) {
        if (!params.rejects()) {
            return new None(context);
        }
        return switch (params.partial()) {
            case REWARD_MODEL -> new PrefixRewards(context);
            case PREFIX_SCORER -> new ScorerRows(context);
            case ARM -> new ArmLikelihood(context);
        };
    }

    /**
     * The candidates drew their token of this round, {@code open} are those that go on; {@code first}
     * in the round of the shared prefill, {@code deciding} when their values are needed at this
     * round's end.
     */
    abstract void afterDraw(List<Trajectory> open, boolean first, boolean deciding);

    /** Every lane ran: values of {@code open} read where {@code deciding}. */
    abstract void endRound(List<Trajectory> open, boolean deciding);

    /** Without rejection: nothing is valued. */
    static final class None extends PartialValues {
        None(RequestContext context) {
            super(context);
        }

        @Override
        void afterDraw(List<Trajectory> open, boolean first, boolean deciding) {}

        @Override
        void endRound(List<Trajectory> open, boolean deciding) {}
    }

    /** The reward model on the prompt and the tokens so far, scored in the round's scoring phase (the paper's). */
    static final class PrefixRewards extends PartialValues {
        private final NamedRewardModel model;
        private ScoreTicket ticket;

        PrefixRewards(RequestContext context) {
            super(context);
            this.model = context.plan().rewardModels().get(0);
        }

        @Override
        void afterDraw(List<Trajectory> open, boolean first, boolean deciding) {
            if (deciding) {
                long[] prompt = context.promptIds();
                List<long[]> prefixes = new ArrayList<>(open.size());
                open.forEach(trajectory -> prefixes.add(trajectory.prefix(prompt)));
                ticket = context.score(model, prefixes);
            }
        }

        @Override
        void endRound(List<Trajectory> open, boolean deciding) {
            if (deciding) {
                float[] scores = ticket.scores();
                for (int i = 0; i < scores.length; i++) {
                    open.get(i).value(scores[i]);
                }
                ticket = null;
            }
        }
    }

    /**
     * A prefix scorer's row per candidate, forked from one prefill of the prompt and fed each token
     * in the round it is drawn, so that its value V(x, y≤t) is read at the round's end without
     * rescoring (as blockwise controlled decoding's scorer rows).
     */
    static final class ScorerRows extends PartialValues {
        private Row prompt;

        ScorerRows(RequestContext context) {
            super(context);
            this.prompt = context.open(context.plan().lanes().get(0));
        }

        @Override
        void afterDraw(List<Trajectory> open, boolean first, boolean deciding) {
            if (first) {
                forkPrompt(prompt, open);
                prompt = null;
            } else {
                open.forEach(trajectory -> trajectory.partialRow().feed(trajectory.lastToken()));
            }
        }

        @Override
        void endRound(List<Trajectory> open, boolean deciding) {
            if (deciding) {
                open.forEach(
                        trajectory -> trajectory.value(trajectory.partialRow().score()));
                context.countRewardScores(open.size());
            }
        }
    }

    /**
     * An ARM's log-likelihood of each candidate's tokens, Σ_i log π_ARM(y_i | x, y&lt;i). The ARM's
     * lane runs after the base's, so its rows trail the candidates by a token: at a round's end the
     * row holds π_ARM(· | x, y&lt;t) for the token y_t drawn in that round, which is added and then
     * fed (stepped at the next round). The prompt's row is prefilled alone in the first round, so
     * that the first token's probability is read too.
     */
    static final class ArmLikelihood extends PartialValues {
        private Row prompt;
        private float[] logits;

        ArmLikelihood(RequestContext context) {
            super(context);
            this.prompt = context.open(context.plan().lanes().get(0));
            this.logits = new float[prompt.vocab()];
        }

        @Override
        void afterDraw(List<Trajectory> open, boolean first, boolean deciding) {
            if (first && open.isEmpty()) {
                prompt.release();
            }
        }

        @Override
        void endRound(List<Trajectory> open, boolean deciding) {
            for (Trajectory trajectory : open) {
                Row row = prompt != null ? prompt : trajectory.partialRow();
                trajectory.value(trajectory.value() + logProbability(row, trajectory.lastToken()));
            }
            if (prompt != null) {
                forkPrompt(prompt, open);
                prompt = null;
            } else {
                open.forEach(trajectory -> trajectory.partialRow().feed(trajectory.lastToken()));
            }
            if (deciding) {
                context.countRewardScores(open.size());
            }
        }

        private double logProbability(Row row, long token) {
            row.logits(logits);
            return logits[(int) token] - LogSoftmax.logSumExp(logits);
        }
    }

    /** One copy of the prompt's row per open candidate, each stepping the candidate's last token. */
    static void forkPrompt(Row prompt, List<Trajectory> open) {
        if (open.isEmpty()) {
            prompt.release();
            return;
        }
        long[] tokens = open.stream().mapToLong(Trajectory::lastToken).toArray();
        List<Row> rows = prompt.fork(tokens);
        for (int i = 0; i < open.size(); i++) {
            open.get(i).partialRow(rows.get(i));
        }
    }
}
