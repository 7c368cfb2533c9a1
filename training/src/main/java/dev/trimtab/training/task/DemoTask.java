package dev.trimtab.training.task;

import dev.trimtab.training.data.JsonlFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the demo task's data files from {@link ReviewGrammar}, in Hugging Face's JSONL
 * conventions: {@code sft-train.jsonl} and {@code sft-heldout.jsonl} ({@code {"prompt",
 * "completion"}}), {@code prompts.jsonl} and {@code eval-prompts.jsonl} ({@code {"prompt"}}). Each
 * file draws from its own stream split off {@code seed}, so changing one size leaves the other
 * files as they were.
 */
public final class DemoTask {
    public static final String SFT_TRAIN = "sft-train.jsonl";
    public static final String SFT_HELDOUT = "sft-heldout.jsonl";
    public static final String PROMPTS = "prompts.jsonl";
    public static final String EVAL_PROMPTS = "eval-prompts.jsonl";

    private DemoTask() {}

    /** Writes the four files into {@code directory}. */
    public static void write(Path directory, int train, int heldout, int prompts, int evalPrompts, long seed)
            throws IOException {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom trainRandom = root.split();
        SplittableRandom heldoutRandom = root.split();
        SplittableRandom promptRandom = root.split();
        SplittableRandom evalRandom = root.split();
        JsonlFile.write(directory.resolve(SFT_TRAIN), reviews(trainRandom, train));
        JsonlFile.write(directory.resolve(SFT_HELDOUT), reviews(heldoutRandom, heldout));
        JsonlFile.write(directory.resolve(PROMPTS), prompts(promptRandom, prompts));
        JsonlFile.write(directory.resolve(EVAL_PROMPTS), prompts(evalRandom, evalPrompts));
    }

    private static List<Map<String, Object>> reviews(SplittableRandom random, int count) {
        List<Map<String, Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Review review = ReviewGrammar.review(random);
            rows.add(JsonlFile.row("prompt", review.prompt(), "completion", review.completion()));
        }
        return rows;
    }

    private static List<Map<String, Object>> prompts(SplittableRandom random, int count) {
        List<Map<String, Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(JsonlFile.row("prompt", ReviewGrammar.prompt(random)));
        }
        return rows;
    }
}
