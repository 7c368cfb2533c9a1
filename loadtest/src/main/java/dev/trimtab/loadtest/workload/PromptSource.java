package dev.trimtab.loadtest.workload;

import java.util.SplittableRandom;

/** Where prompts come from: a JSONL file ({@link JsonlPrompts}) or a length distribution ({@link GeneratedPrompts}). */
public sealed interface PromptSource permits JsonlPrompts, GeneratedPrompts {

    /** The prompt for request number {@code index}; {@code random} is that request's own stream. */
    Prompt prompt(long index, SplittableRandom random);

    /** One line for reports, e.g. {@code jsonl prompts.jsonl (120 prompts)}. */
    String describe();
}
