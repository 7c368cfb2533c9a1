package dev.trimtab.training.task;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A probabilistic grammar of short film and product reviews: the demo task, generated so that the
 * demo and the tests need no download.
 *
 * <p>A review draws a domain, a title and a latent sentiment {@code s ~ U(-1, 1)}, then one to six
 * sentences. Each opinion in a sentence is favourable with probability {@code (1 + s) / 2}, so
 * reviews lean one way but can be mixed. Sentence forms: a judgement ({@code The plot was
 * gripping.}), a negated one ({@code The plot was not dull.}), a contrast ({@code The acting was
 * superb but the ending was weak.}), a verdict ({@code I would recommend it.}) and, one sentence in
 * five, a neutral remark that adds length without opinion. The prompt is {@code "Film review of
 * TITLE:"}, followed in three reviews out of ten by the review's first one to three words.
 */
public final class ReviewGrammar {
    private static final List<String> INTENSIFIERS = List.of("really", "truly", "very", "quite", "absolutely");
    private static final List<String> OPENERS = List.of("Honestly,", "Overall,", "To be fair,", "In short,");
    private static final List<String> LIKED = List.of("loved", "enjoyed", "adored", "liked", "appreciated");
    private static final List<String> DISLIKED = List.of("hated", "disliked", "regretted");
    private static final List<String> PRAISE = List.of(
            "I would recommend it to anyone.",
            "Highly recommended.",
            "A real gem.",
            "Worth every penny.",
            "I loved every minute of it.");
    private static final List<String> CRITICISM = List.of(
            "I would not recommend it.",
            "A complete waste of money.",
            "Avoid it.",
            "What a disappointment.",
            "Sadly, it was a mess.");

    private ReviewGrammar() {}

    /** Draws one review. */
    public static Review review(SplittableRandom random) {
        Domain domain = pick(random, Domain.ALL);
        String title = pick(random, domain.titles());
        double sentiment = 2 * random.nextDouble() - 1;
        int sentences = 1 + Math.min(5, geometric(random, 0.4));
        List<String> text = new ArrayList<>();
        for (int i = 0; i < sentences; i++) {
            text.add(sentence(random, domain, sentiment, i == sentences - 1));
        }
        return split(domain.label() + " review of " + title + ":", String.join(" ", text), random, sentiment);
    }

    /** A prompt alone, for sampling: the title line, sometimes with first words. */
    public static String prompt(SplittableRandom random) {
        return review(random).prompt();
    }

    private static Review split(String header, String body, SplittableRandom random, double sentiment) {
        String[] words = body.split(" ");
        int lead = random.nextDouble() < 0.3 ? Math.min(words.length - 1, 1 + random.nextInt(3)) : 0;
        StringBuilder prompt = new StringBuilder(header);
        for (int i = 0; i < lead; i++) {
            prompt.append(' ').append(words[i]);
        }
        StringBuilder completion = new StringBuilder();
        for (int i = lead; i < words.length; i++) {
            completion.append(' ').append(words[i]);
        }
        return new Review(prompt.toString(), completion.toString(), sentiment);
    }

    private static String sentence(SplittableRandom random, Domain domain, double sentiment, boolean last) {
        double form = random.nextDouble();
        if (form < 0.2) {
            return pick(random, domain.neutral());
        }
        if (last && form < 0.45) {
            return pick(random, favourable(random, sentiment) ? PRAISE : CRITICISM);
        }
        String opener = random.nextDouble() < 0.15 ? pick(random, OPENERS) + " " : "";
        String core;
        if (form < 0.6) {
            core = judgement(random, domain, favourable(random, sentiment));
        } else if (form < 0.7) {
            core = negated(random, domain, favourable(random, sentiment));
        } else if (form < 0.85) {
            core = judgement(random, domain, favourable(random, sentiment)) + " but "
                    + lowerFirst(judgement(random, domain, favourable(random, sentiment)));
        } else {
            core = "I " + pick(random, favourable(random, sentiment) ? LIKED : DISLIKED) + " the "
                    + pick(random, domain.aspects());
        }
        return capitalize(opener.isEmpty() ? core : opener + lowerFirst(core)) + ".";
    }

    private static String judgement(SplittableRandom random, Domain domain, boolean favourable) {
        String aspect = pick(random, domain.aspects());
        String verb = verb(aspect, random.nextBoolean());
        String intensifier = random.nextDouble() < 0.3 ? pick(random, INTENSIFIERS) + " " : "";
        String adjective = pick(random, favourable ? domain.positive() : domain.negative());
        return "The " + aspect + " " + verb + " " + intensifier + adjective;
    }

    /** A negated judgement: favourable says "not" of an unfavourable adjective. */
    private static String negated(SplittableRandom random, Domain domain, boolean favourable) {
        String aspect = pick(random, domain.aspects());
        String adjective = pick(random, favourable ? domain.negative() : domain.positive());
        return "The " + aspect + " " + verb(aspect, true) + " not " + adjective;
    }

    /** "was"/"is", or "were"/"are" for the plural aspects. */
    private static String verb(String aspect, boolean past) {
        boolean plural = Domain.PLURAL_ASPECTS.contains(aspect);
        return past ? (plural ? "were" : "was") : (plural ? "are" : "is");
    }

    private static boolean favourable(SplittableRandom random, double sentiment) {
        return random.nextDouble() < (1 + sentiment) / 2;
    }

    private static int geometric(SplittableRandom random, double stop) {
        int count = 0;
        while (random.nextDouble() >= stop) {
            count++;
        }
        return count;
    }

    private static <T> T pick(SplittableRandom random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String lowerFirst(String text) {
        return text.startsWith("I ") ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
