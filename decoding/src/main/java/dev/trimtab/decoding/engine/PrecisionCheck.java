package dev.trimtab.decoding.engine;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.model.JsonFiles;
import java.util.List;

/**
 * How far a model in another precision is from its float32 original over the same sequences: the
 * largest |logit difference| at any position and token, the share of positions whose greedy
 * (argmax) token agrees, and, for language-model heads, each model's perplexity over the scored
 * tokens of the sequences (a completion's tokens, each predicted from the tokens before it).
 *
 * @param maxAbsLogitDifference the largest |logit - reference logit|
 * @param greedyAgreement share of positions with the same argmax token (NaN for score heads)
 * @param positions positions compared
 * @param sequences sequences compared
 * @param referencePerplexity the float32 model's perplexity (NaN for score heads)
 * @param perplexity the other model's perplexity (NaN for score heads)
 */
public record PrecisionCheck(
        double maxAbsLogitDifference,
        double greedyAgreement,
        long positions,
        int sequences,
        double referencePerplexity,
        double perplexity) {

    /**
     * A sequence of tokens whose tokens from {@code firstScored} on (at least 1) count towards the
     * perplexity: a prompt and its completion, the completion scored.
     */
    public record Sequence(long[] tokens, int firstScored) {
        public Sequence {
            if (firstScored < 1 || firstScored >= tokens.length) {
                throw new IllegalArgumentException("a checked sequence scores tokens from index 1 to its last ("
                        + (tokens.length - 1) + "), got " + firstScored);
            }
        }
    }

    /** Compares {@code candidate} with {@code reference} at every position of {@code sequences}. */
    public static PrecisionCheck compare(DecoderModel reference, DecoderModel candidate, List<Sequence> sequences)
            throws OrtException {
        int vocab = reference.vocabSize();
        if (candidate.vocabSize() != vocab) {
            throw new IllegalArgumentException(
                    "the models' logits differ in width: " + vocab + " and " + candidate.vocabSize());
        }
        boolean languageModel = vocab > 1;
        Totals totals = new Totals();
        for (Sequence sequence : sequences) {
            long[] tokens = sequence.tokens();
            float[][] expected = new float[tokens.length][];
            DecoderBatch.everyPosition(reference, tokens, (p, logits) -> expected[p] = logits.clone());
            DecoderBatch.everyPosition(candidate, tokens, (p, logits) -> {
                totals.compare(expected[p], logits);
                if (languageModel && p + 1 >= sequence.firstScored() && p + 1 < tokens.length) {
                    int next = (int) tokens[p + 1];
                    totals.referenceNll += -logSoftmaxAt(expected[p], next);
                    totals.nll += -logSoftmaxAt(logits, next);
                    totals.predicted++;
                }
            });
        }
        return new PrecisionCheck(
                totals.maxDifference,
                totals.positions == 0 || !languageModel ? Double.NaN : (double) totals.agreeing / totals.positions,
                totals.positions,
                sequences.size(),
                languageModel ? Math.exp(totals.referenceNll / totals.predicted) : Double.NaN,
                languageModel ? Math.exp(totals.nll / totals.predicted) : Double.NaN);
    }

    /** The check as a manifest records it. */
    public ObjectNode toJson() {
        ObjectNode node = JsonFiles.mapper().createObjectNode();
        node.put("max_abs_logit_diff", maxAbsLogitDifference);
        if (!Double.isNaN(greedyAgreement)) {
            node.put("greedy_agreement", greedyAgreement);
        }
        node.put("positions", positions);
        node.put("sequences", sequences);
        if (!Double.isNaN(perplexity)) {
            node.put("perplexity", perplexity);
            node.put("fp32_perplexity", referencePerplexity);
        }
        return node;
    }

    private static double logSoftmaxAt(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) max = Math.max(max, logit);
        double sum = 0;
        for (float logit : logits) sum += Math.exp(logit - max);
        return logits[token] - max - Math.log(sum);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }

    /** Running sums over the positions compared. */
    private static final class Totals {
        double maxDifference;
        long positions;
        long agreeing;
        double referenceNll;
        double nll;
        long predicted;

        void compare(float[] expected, float[] actual) {
            for (int v = 0; v < expected.length; v++) {
                maxDifference = Math.max(maxDifference, Math.abs(actual[v] - expected[v]));
            }
            agreeing += argmax(expected) == argmax(actual) ? 1 : 0;
            positions++;
        }
    }
}
