package dev.trimtab.rewards.model;

import ai.onnxruntime.OrtException;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A reward model whose tokenizer is not the policy's (a BERT or DeBERTa encoder, a reward model
 * from another family): each sequence of the policy's ids is decoded to text with the policy's
 * tokenizer (its special tokens skipped) and encoded with the reward model's own, which adds that
 * model's special tokens ({@code [CLS] ... [SEP]}). The cost is a decode and an encode of the whole
 * sequence per scored candidate, on the scoring thread, on top of the reward model's pass. A text
 * longer than the reward model's context in its own tokens is cut from the left, its leading special
 * tokens kept (Hugging Face's {@code truncation_side="left"}): the requests' lengths are checked in
 * the policy's tokens, and one sequence over the context must not fail the batch it shares with
 * other requests.
 */
public final class RetokenizedRewardModel implements SequenceRewardModel, AutoCloseable {
    private final RewardModel model;
    private final TextTokenizer policy;
    private final TextTokenizer own;

    private RetokenizedRewardModel(RewardModel model, TextTokenizer policy, TextTokenizer own) {
        this.model = model;
        this.policy = policy;
        this.own = own;
    }

    /**
     * {@code model} as a reward model of the policy's ids: itself when it reads them (no {@code
     * tokenizer.json} of its own, or one whose vocabulary agrees with the policy's up to the smaller
     * one), else a model that re-tokenizes through its own tokenizer and closes it when closed. The
     * policy's tokenizer stays the caller's.
     *
     * @throws IllegalArgumentException naming the file when the model's {@code tokenizer.json} is
     *     not one the tokenizers library reads, or naming the directory when the model has no
     *     tokenizer and accepts fewer ids than the policy's tokenizer has
     */
    public static SequenceRewardModel forPolicy(RewardModel model, TextTokenizer policy) {
        if (Files.isRegularFile(model.directory().resolve(ByteLevelBpeTokenizerFile.FILE_NAME))) {
            TextTokenizer own = TextTokenizer.load(model.directory());
            if (policy.prefixMismatch(own).isPresent()) {
                return new RetokenizedRewardModel(model, policy, own);
            }
            own.close();
            return model;
        }
        if (model.inputVocabSize() < policy.vocabSize()) {
            throw new IllegalArgumentException(model.directory() + " has no tokenizer.json and accepts token ids [0, "
                    + model.inputVocabSize() + "), fewer than the " + policy.vocabSize() + " of the policy's "
                    + policy.file() + ": a reward model with a vocabulary of its own needs its tokenizer.json");
        }
        return model;
    }

    /** The reward model's own tokenizer, which encodes the text. */
    public TextTokenizer tokenizer() {
        return own;
    }

    /** The reward model itself, which reads its own tokenizer's ids. */
    public RewardModel model() {
        return model;
    }

    @Override
    public float[] score(List<long[]> sequences) throws OrtException {
        List<long[]> encoded = new ArrayList<>(sequences.size());
        for (long[] sequence : sequences) {
            encoded.add(fitted(own.encode(policy.decode(sequence))));
        }
        return model.score(encoded);
    }

    /** {@code ids} cut from the left to the context, its leading special tokens kept. */
    private long[] fitted(long[] ids) {
        int context = model.contextLength();
        if (ids.length <= context) {
            return ids;
        }
        int lead = 0;
        while (lead < context - 1 && own.isSpecial(ids[lead])) {
            lead++;
        }
        long[] cut = new long[context];
        System.arraycopy(ids, 0, cut, 0, lead);
        System.arraycopy(ids, ids.length - (context - lead), cut, lead, context - lead);
        return cut;
    }

    /** Every id of the policy's tokenizer: any of them decodes to text. */
    @Override
    public int inputVocabSize() {
        return policy.vocabSize();
    }

    /** The reward model's context, in its own tokens: a sequence is checked again once encoded. */
    @Override
    public int contextLength() {
        return model.contextLength();
    }

    /** Closes the own tokenizer (the reward model stays its loader's); safe to call twice. */
    @Override
    public void close() {
        own.close();
    }
}
