package dev.trimtab.decoding.generate;

import java.util.Locale;

/** Why a sequence ended, with the names the OpenAI API uses. */
public enum FinishReason {
    /** End-of-sequence token or a stop sequence. */
    STOP,
    /** {@code max_tokens} or the model's context reached. */
    LENGTH;

    /** The wire name: {@code stop} or {@code length}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
