package dev.trimtab.rewards.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trimtab.decoding.fixtures.TinyModels;
import dev.trimtab.decoding.onnx.DecoderSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every reward model keeps: one score per sequence, the same in any batch (padding,
 * neighbours, order and chunking change nothing), and bad sequences refused with the index and rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RewardModelContractKit {
    /** The architecture of the scored models: a small Llama with a score head. */
    static final DecoderSpec SPEC = DecoderSpec.llama(2, 32, 4, 2, 48, 96, 64).withScoreHead();

    RewardModel model;

    /** Writes a reward model of {@link #SPEC} with weights of seed {@code seed} and loads it. */
    abstract RewardModel open(Path directory, long seed) throws Exception;

    @BeforeAll
    void load(@TempDir Path directory) throws Exception {
        model = open(directory, 5);
    }

    @AfterAll
    void close() throws Exception {
        model.close();
        model.close();
    }

    static List<long[]> randomSequences(long seed, int count, int minLength, int maxLength) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequences.add(random.longs(random.nextInt(minLength, maxLength + 1), 0, SPEC.vocab())
                    .toArray());
        }
        return sequences;
    }

    @Test
    @DisplayName("a batch scores each sequence as it scores alone, whatever its neighbours' lengths")
    void batchEqualsAlone() throws Exception {
        List<long[]> sequences = randomSequences(1, 6, 1, 40);
        float[] together = model.score(sequences);
        assertThat(together).hasSize(6);
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(together[i]).isCloseTo(model.score(List.of(sequences.get(i)))[0], within(1e-4f));
        }
    }

    @Test
    @DisplayName("every label's logits hold the score in the reward label's column")
    void logitsHoldTheScore() throws Exception {
        List<long[]> sequences = randomSequences(5, 4, 1, 20);
        float[] scores = model.score(sequences);
        float[][] logits = model.logits(sequences);
        assertThat(logits.length).isEqualTo(scores.length);
        for (int i = 0; i < scores.length; i++) {
            assertThat(logits[i]).hasSize(model.labels().count());
            assertThat(logits[i][model.labels().reward()]).isEqualTo(scores[i]);
        }
    }

    @Test
    @DisplayName("the order of the sequences changes only the order of the scores")
    void orderChangesNothing() throws Exception {
        List<long[]> sequences = randomSequences(2, 5, 3, 20);
        float[] forward = model.score(sequences);
        float[] backward = model.score(sequences.reversed());
        for (int i = 0; i < forward.length; i++) {
            assertThat(backward[forward.length - 1 - i]).isCloseTo(forward[i], within(1e-4f));
        }
        assertThat(model.score(sequences)).containsExactly(forward);
    }

    @Test
    @DisplayName("different sequences get different scores, and no sequence none")
    void scoresDiffer() throws Exception {
        float[] scores = model.score(randomSequences(3, 4, 5, 10));
        assertThat(scores).doesNotHaveDuplicates();
        assertThat(model.score(List.of())).isEmpty();
    }

    @Test
    @DisplayName("a batch larger than one run is split and scored as the parts are")
    void largeBatches() throws Exception {
        List<long[]> sequences = randomSequences(4, 80, 30, 64);
        float[] whole = model.score(sequences);
        float[] part = model.score(sequences.subList(70, 80));
        for (int i = 0; i < part.length; i++) {
            assertThat(whole[70 + i]).isCloseTo(part[i], within(1e-4f));
        }
    }

    @Test
    @DisplayName("an empty sequence, one longer than the context or an id outside the vocabulary is refused by index")
    void badSequences() {
        assertThatThrownBy(() -> model.score(List.of(new long[] {1}, new long[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sequences[1] must hold at least one token id");
        assertThatThrownBy(() -> model.score(List.of(new long[65])))
                .hasMessageStartingWith("sequences[0] has 65 tokens, more than the context of 64 of ");
        assertThatThrownBy(() -> model.score(List.of(new long[] {1, 96})))
                .hasMessageStartingWith("sequences[0][1] must be a token id in [0, 96) of ")
                .hasMessageEndingWith(", got 96");
        assertThat(model.inputVocabSize()).isEqualTo(96);
        assertThat(model.contextLength()).isEqualTo(64);
    }

    /** Writes {@link #SPEC} with {@code seed} in the with-past layout. */
    static Path writeDecoder(Path directory, long seed) {
        TinyModels.write(directory, SPEC, seed);
        return directory;
    }
}
