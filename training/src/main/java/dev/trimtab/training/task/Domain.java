package dev.trimtab.training.task;

import java.util.List;

/**
 * The vocabulary of one kind of review: what is reviewed, the aspects a reviewer judges, the
 * opinion words for them and sentences that carry no opinion.
 *
 * @param label the prompt's first word, e.g. {@code Film}
 * @param titles what a review is about, e.g. {@code The Silent Harbor}
 * @param aspects what a sentence judges, e.g. {@code acting}
 * @param positive favourable adjectives
 * @param negative unfavourable adjectives
 * @param neutral whole sentences without opinion (they make a review longer, not warmer)
 */
record Domain(
        String label,
        List<String> titles,
        List<String> aspects,
        List<String> positive,
        List<String> negative,
        List<String> neutral) {

    static final Domain FILM = new Domain(
            "Film",
            titles(
                    List.of(
                            "Silent",
                            "Last",
                            "Crimson",
                            "Hidden",
                            "Broken",
                            "Golden",
                            "Distant",
                            "Frozen",
                            "Secret",
                            "Midnight",
                            "Wild",
                            "Lonely",
                            "Electric",
                            "Paper",
                            "Iron"),
                    List.of(
                            "Harbor", "Orchard", "Kingdom", "River", "Garden", "Promise", "Signal", "Voyage", "Mirror",
                            "Empire", "Summer", "Lantern", "Station", "Horizon")),
            List.of(
                    "acting",
                    "plot",
                    "soundtrack",
                    "pacing",
                    "ending",
                    "dialogue",
                    "cinematography",
                    "cast",
                    "script",
                    "direction",
                    "humor",
                    "story",
                    "lead actor",
                    "visual effects"),
            List.of(
                    "superb",
                    "brilliant",
                    "wonderful",
                    "gripping",
                    "beautiful",
                    "excellent",
                    "charming",
                    "moving",
                    "delightful",
                    "stunning",
                    "clever",
                    "great",
                    "fantastic",
                    "memorable"),
            List.of(
                    "dull",
                    "boring",
                    "awful",
                    "clumsy",
                    "weak",
                    "predictable",
                    "tedious",
                    "messy",
                    "bland",
                    "forgettable",
                    "terrible",
                    "poor",
                    "confusing",
                    "disappointing"),
            List.of(
                    "I watched it with my sister last weekend.",
                    "We saw it at the cinema downtown.",
                    "It runs for about two hours.",
                    "The theater was half empty.",
                    "I went in knowing very little.",
                    "It is based on an old novel.",
                    "My friend picked it for movie night.",
                    "The trailer came out last spring."));

    static final Domain PRODUCT = new Domain(
            "Product",
            titles(
                    List.of(
                            "the Aurora",
                            "the Nimbus",
                            "the Vertex",
                            "the Kestrel",
                            "the Lumen",
                            "the Orbit",
                            "the Solace",
                            "the Tandem"),
                    List.of(
                            "headphones",
                            "blender",
                            "backpack",
                            "kettle",
                            "lamp",
                            "keyboard",
                            "coffee grinder",
                            "desk chair",
                            "water bottle",
                            "toaster",
                            "speaker",
                            "phone case")),
            List.of(
                    "battery",
                    "sound",
                    "build quality",
                    "price",
                    "design",
                    "delivery",
                    "handle",
                    "lid",
                    "cable",
                    "finish",
                    "motor",
                    "buttons",
                    "packaging",
                    "instructions"),
            List.of(
                    "sturdy",
                    "reliable",
                    "excellent",
                    "great",
                    "comfortable",
                    "elegant",
                    "quiet",
                    "solid",
                    "perfect",
                    "impressive",
                    "handy",
                    "wonderful"),
            List.of(
                    "flimsy",
                    "noisy",
                    "cheap",
                    "awful",
                    "broken",
                    "useless",
                    "disappointing",
                    "terrible",
                    "poor",
                    "fragile",
                    "uncomfortable",
                    "overpriced"),
            List.of(
                    "I bought it for my office.",
                    "It arrived on a Tuesday.",
                    "The box had a blue label.",
                    "I use it every morning.",
                    "It came in two colors.",
                    "I ordered it online last month.",
                    "My brother has the same one.",
                    "It replaced my old one."));

    static final List<Domain> ALL = List.of(FILM, PRODUCT);

    /** Aspects that take a plural verb. */
    static final java.util.Set<String> PLURAL_ASPECTS = java.util.Set.of("visual effects", "buttons", "instructions");

    private static List<String> titles(List<String> first, List<String> second) {
        return first.stream()
                .flatMap(a -> second.stream().map(b -> (a.startsWith("the ") ? a : "The " + a) + " " + b))
                .toList();
    }
}
