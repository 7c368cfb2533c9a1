package dev.trimtab.training.data;

import java.util.Arrays;

/**
 * A tokenized example: the prompt's ids followed by the completion's, the end-of-sequence id last.
 * Losses read the completion only: positions {@code >= promptLength} are its tokens.
 *
 * @param ids every token id, prompt first
 * @param promptLength how many leading ids are the prompt, in [0, ids.length)
 */
public record TokenSequence(long[] ids, int promptLength) {
    public TokenSequence {
        ids = ids.clone();
        if (ids.length < 2) {
            throw new IllegalArgumentException("a training sequence needs at least 2 tokens, got " + ids.length);
        }
        if (promptLength < 0 || promptLength >= ids.length) {
            throw new IllegalArgumentException(
                    "promptLength must be in [0, " + ids.length + "), got " + promptLength + ": nothing to learn");
        }
    }

    /** Prompt and completion ids, tokenized separately (as a server sees them), EOS appended. */
    public static TokenSequence of(long[] prompt, long[] completion, long eos) {
        long[] ids = Arrays.copyOf(prompt, prompt.length + completion.length + 1);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        ids[ids.length - 1] = eos;
        return new TokenSequence(ids, prompt.length);
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    public int length() {
        return ids.length;
    }

    /** The sequence cut to its first {@code maxLength} tokens (the prompt kept whole when it fits). */
    public TokenSequence truncate(int maxLength) {
        if (ids.length <= maxLength) {
            return this;
        }
        return new TokenSequence(Arrays.copyOf(ids, maxLength), Math.min(promptLength, maxLength - 1));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenSequence that && promptLength == that.promptLength && Arrays.equals(ids, that.ids);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + promptLength;
    }

    @Override
    public String toString() {
        return "TokenSequence[" + ids.length + " ids, prompt " + promptLength + "]";
    }
}
