package dev.trimtab.training.data;

import dev.trimtab.training.data.DataFormatException.Rule;
import java.util.Objects;

/** The records of the JSONL formats the trainer reads, and their formats. */
public final class Records {
    private Records() {}

    /**
     * A supervised example: {@code {"prompt", "completion"}}, or {@code {"text"}} (read as an empty
     * prompt, every token a target).
     */
    public record Sft(String prompt, String completion) {
        public Sft {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(completion, "completion");
        }
    }

    /** A preference: {@code {"prompt", "chosen", "rejected"}}. */
    public record Preference(String prompt, String chosen, String rejected) {}

    /** A completion scored by a reward: {@code {"prompt", "completion", "reward"}}. */
    public record Reward(String prompt, String completion, double reward) {}

    /** A prompt to sample from: {@code {"prompt"}}. */
    public record Prompt(String prompt) {}

    /** {@code text}, or {@code prompt} and {@code completion}, but not both. */
    public static final RecordFormat<Sft> SFT = fields -> {
        if (fields.has("text")) {
            if (fields.has("prompt") || fields.has("completion")) {
                throw fields.error("text", Rule.CONFLICTING_FIELDS, "excludes \"prompt\" and \"completion\"");
            }
            return new Sft("", fields.text("text", true));
        }
        return new Sft(fields.text("prompt", false), fields.text("completion", true));
    };

    public static final RecordFormat<Preference> PREFERENCE = fields -> {
        Preference preference = new Preference(
                fields.text("prompt", false), fields.text("chosen", true), fields.text("rejected", true));
        if (preference.chosen().equals(preference.rejected())) {
            throw fields.error("rejected", Rule.IDENTICAL_COMPLETIONS, "must differ from \"chosen\"");
        }
        return preference;
    };

    public static final RecordFormat<Reward> REWARD = fields ->
            new Reward(fields.text("prompt", false), fields.text("completion", true), fields.number("reward"));

    public static final RecordFormat<Prompt> PROMPT = fields -> new Prompt(fields.text("prompt", true));
}
