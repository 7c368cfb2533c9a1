package dev.trimtab.loadtest.workload;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic prompts of a drawn number of words. The words are short, common English words, which byte-level BPE
 * vocabularies (GPT-2, Llama) encode as one token each, so the word count approximates the prompt's token count.
 */
public record GeneratedPrompts(LengthDistribution words) implements PromptSource {

    private static final List<String> VOCABULARY = List.of(
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "was",
            "for",
            "on",
            "that",
            "with",
            "as",
            "it",
            "by",
            "at",
            "from",
            "his",
            "an",
            "he",
            "are",
            "were",
            "which",
            "this",
            "be",
            "or",
            "has",
            "had",
            "first",
            "one",
            "their",
            "its",
            "new",
            "after",
            "but",
            "who",
            "not",
            "they",
            "have",
            "her",
            "she",
            "two",
            "been",
            "other",
            "when",
            "there",
            "all",
            "during",
            "into",
            "school",
            "time",
            "may",
            "years",
            "more",
            "most",
            "only",
            "over",
            "city",
            "some",
            "world",
            "would",
            "where",
            "later",
            "up",
            "such",
            "used",
            "many",
            "can",
            "state",
            "about",
            "national",
            "out",
            "known",
            "university",
            "united",
            "then",
            "made",
            "film",
            "team",
            "war");

    public GeneratedPrompts {
        if (words == null) {
            throw new IllegalArgumentException("generated prompts need a word-count distribution, got null");
        }
    }

    @Override
    public Prompt prompt(long index, SplittableRandom random) {
        int count = words.sample(random);
        StringBuilder text = new StringBuilder(count * 6);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(VOCABULARY.get(random.nextInt(VOCABULARY.size())));
        }
        return Prompt.of(text.toString());
    }

    @Override
    public String describe() {
        return "generated, words " + words.spec();
    }
}
