package dev.trimtab.training.tokenizer;

import dev.trimtab.decoding.tokenizer.ByteLevelAlphabet;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile;
import dev.trimtab.decoding.tokenizer.ByteLevelBpeTokenizerFile.Merge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns a byte-level BPE (Sennrich et al. 2016, Algorithm 1, on bytes as GPT-2 does): the corpus
 * is split into pre-tokens by GPT-2's regex (the split the {@code ByteLevel} pre-tokenizer of the
 * written {@code tokenizer.json} applies), each pre-token spelled in {@link ByteLevelAlphabet}
 * symbols; then, until the vocabulary is full, the most frequent adjacent pair of symbols is merged
 * everywhere. Ties go to the pair whose symbols sort first, so training is deterministic.
 *
 * <p>Pair counts are kept up to date incrementally (only the words containing the merged pair are
 * recounted), with a priority queue whose stale entries are skipped.
 */
public final class BpeTrainer {
    /** GPT-2's pre-tokenization pattern. */
    static final Pattern PRE_TOKENS =
            Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final List<String> symbols = new ArrayList<>();
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final List<int[]> words = new ArrayList<>();
    private final List<Long> counts = new ArrayList<>();
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(Comparator.comparingLong(Candidate::count)
            .reversed()
            .thenComparing(c -> symbols.get(c.left()))
            .thenComparing(c -> symbols.get(c.right())));

    private record Candidate(long count, int left, int right) {}

    private BpeTrainer() {
        for (int b = 0; b < ByteLevelAlphabet.SIZE; b++) {
            symbol(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
    }

    /**
     * Learns merges from {@code texts} until the vocabulary (256 byte symbols, merge results and
     * {@code specialTokens}) has {@code vocabSize} entries, or no pair occurs {@code minFrequency}
     * times any more.
     */
    public static ByteLevelBpeTokenizerFile train(
            Iterable<String> texts, int vocabSize, List<String> specialTokens, int minFrequency) {
        int merges = vocabSize - ByteLevelAlphabet.SIZE - specialTokens.size();
        if (merges < 0) {
            throw new IllegalArgumentException("tokenizer.vocab_size must be at least 256 + " + specialTokens.size()
                    + " special tokens = " + (ByteLevelAlphabet.SIZE + specialTokens.size()) + ", got " + vocabSize);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("tokenizer.min_frequency must be >= 1, got " + minFrequency);
        }
        BpeTrainer trainer = new BpeTrainer();
        trainer.load(preTokenCounts(texts));
        return new ByteLevelBpeTokenizerFile(trainer.learn(merges, minFrequency), specialTokens);
    }

    /** Pre-tokens of the corpus spelled in byte-level symbols, with their counts, in sorted order. */
    static Map<String, Long> preTokenCounts(Iterable<String> texts) {
        Map<String, Long> counts = new TreeMap<>();
        for (String text : texts) {
            Matcher matcher = PRE_TOKENS.matcher(text);
            while (matcher.find()) {
                byte[] bytes = matcher.group().getBytes(StandardCharsets.UTF_8);
                counts.merge(ByteLevelAlphabet.encode(bytes), 1L, Long::sum);
            }
        }
        return counts;
    }

    private void load(Map<String, Long> preTokens) {
        preTokens.forEach((spelling, count) -> {
            int[] word = new int[spelling.length()];
            for (int i = 0; i < word.length; i++) {
                word[i] = symbolIds.get(String.valueOf(spelling.charAt(i)));
            }
            words.add(word);
            counts.add(count);
            addPairs(words.size() - 1, +1, new HashSet<>());
        });
        pairCounts.forEach((pair, count) -> queue.add(new Candidate(count, left(pair), right(pair))));
    }

    private List<Merge> learn(int maxMerges, int minFrequency) {
        List<Merge> merges = new ArrayList<>();
        Set<Long> merged = new HashSet<>();
        while (merges.size() < maxMerges && !queue.isEmpty()) {
            Candidate best = queue.poll();
            long pair = key(best.left(), best.right());
            long current = pairCounts.getOrDefault(pair, 0L);
            if (current != best.count() || merged.contains(pair)) {
                continue;
            }
            if (current < minFrequency) {
                break;
            }
            merged.add(pair);
            merges.add(new Merge(symbols.get(best.left()), symbols.get(best.right())));
            apply(best.left(), best.right(), symbol(symbols.get(best.left()) + symbols.get(best.right())));
        }
        return merges;
    }

    /** Merges the pair in every word holding it and queues the new counts of the pairs that changed. */
    private void apply(int left, int right, int result) {
        Set<Long> touched = new HashSet<>();
        for (int w : List.copyOf(pairWords.getOrDefault(key(left, right), Set.of()))) {
            addPairs(w, -1, touched);
            words.set(w, merge(words.get(w), left, right, result));
            addPairs(w, +1, touched);
        }
        for (long pair : touched) {
            long count = pairCounts.getOrDefault(pair, 0L);
            if (count > 0) {
                queue.add(new Candidate(count, left(pair), right(pair)));
            }
        }
    }

    private static int[] merge(int[] word, int left, int right, int result) {
        int[] out = new int[word.length];
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[n++] = result;
                i++;
            } else {
                out[n++] = word[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Adds ({@code sign} +1) or removes (-1) the pairs of word {@code w} from the counts, noting
     * each pair in {@code touched}.
     */
    private void addPairs(int w, int sign, Set<Long> touched) {
        int[] word = words.get(w);
        long count = counts.get(w);
        for (int i = 0; i + 1 < word.length; i++) {
            long pair = key(word[i], word[i + 1]);
            touched.add(pair);
            long updated = pairCounts.merge(pair, sign * count, Long::sum);
            if (sign > 0) {
                pairWords.computeIfAbsent(pair, p -> new HashSet<>()).add(w);
            } else if (updated == 0) {
                pairCounts.remove(pair);
                pairWords.remove(pair);
            }
        }
    }

    private int symbol(String spelling) {
        return symbolIds.computeIfAbsent(spelling, s -> {
            symbols.add(s);
            return symbols.size() - 1;
        });
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int left(long key) {
        return (int) (key >>> 32);
    }

    private static int right(long key) {
        return (int) key;
    }
}
