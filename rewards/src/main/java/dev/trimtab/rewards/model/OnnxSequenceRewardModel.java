package dev.trimtab.rewards.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.model.ModelConfig;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reward model in Optimum's sequence-classification layout: {@code model.onnx} with inputs
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]} and output {@code logits [batch,
 * 1]} pooled at each row's last real token, no cache; {@code config.json} gives the vocabulary and
 * context. Sequences are right-padded into batches of at most {@link #MAX_BATCH_TOKENS} cells.
 * Not thread-safe: one scheduler thread scores with it.
 */
public final class OnnxSequenceRewardModel implements RewardModel {
    /** The graph file of the layout. */
    public static final String GRAPH_FILE = "model.onnx";
    /** Padded tokens (rows times the longest row) in one run, bounding activation memory. */
    static final int MAX_BATCH_TOKENS = 1 << 16;

    private final Path directory;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int vocab;
    private final int context;
    private boolean closed;

    private OnnxSequenceRewardModel(Path directory, OrtEnvironment env, OrtSession session, ModelConfig config) {
        this.directory = directory;
        this.env = env;
        this.session = session;
        this.vocab = config.vocabSize();
        this.context = config.contextLength();
    }

    /** Takes over {@code session} (of {@code directory/model.onnx}), closing it if the directory is unusable. */
    static OnnxSequenceRewardModel open(Path directory, OrtEnvironment env, OrtSession session) throws OrtException {
        try {
            if (!session.getOutputNames().contains("logits")) {
                throw new IllegalArgumentException(directory.resolve(GRAPH_FILE)
                        + " has no output 'logits': the sequence-classification layout outputs logits [batch, 1]");
            }
            return new OnnxSequenceRewardModel(directory, env, session, ModelConfig.read(directory));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public float[] score(List<long[]> sequences) throws OrtException {
        SequenceChecks.check(sequences, vocab, context, directory);
        float[] scores = new float[sequences.size()];
        int start = 0;
        while (start < scores.length) {
            int end = chunkEnd(sequences, start);
            run(sequences.subList(start, end), scores, start);
            start = end;
        }
        return scores;
    }

    /** The end of the longest run from {@code start} whose padded size stays within the budget. */
    private static int chunkEnd(List<long[]> sequences, int start) {
        int longest = 0;
        int end = start;
        while (end < sequences.size()) {
            int width = Math.max(longest, sequences.get(end).length);
            if (end > start && (long) width * (end - start + 1) > MAX_BATCH_TOKENS) {
                break;
            }
            longest = width;
            end++;
        }
        return end;
    }

    private void run(List<long[]> rows, float[] scores, int offset) throws OrtException {
        int width = rows.stream().mapToInt(row -> row.length).max().orElse(0);
        long[] ids = new long[rows.size() * width];
        long[] mask = new long[ids.length];
        for (int r = 0; r < rows.size(); r++) {
            long[] row = rows.get(r);
            System.arraycopy(row, 0, ids, r * width, row.length);
            Arrays.fill(mask, r * width, r * width + row.length, 1L);
        }
        long[] shape = {rows.size(), width};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor))) {
            FloatBuffer logits = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
            for (int r = 0; r < rows.size(); r++) {
                scores[offset + r] = logits.get(r);
            }
        }
    }

    @Override
    public int inputVocabSize() {
        return vocab;
    }

    @Override
    public int contextLength() {
        return context;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Optional<DecoderModel> decoder() {
        return Optional.empty();
    }

    @Override
    public void close() throws OrtException {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
