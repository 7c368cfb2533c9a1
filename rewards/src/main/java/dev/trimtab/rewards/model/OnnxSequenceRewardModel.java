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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A reward model in Optimum's sequence-classification layout: {@code model.onnx} with inputs
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]} (and {@code token_type_ids},
 * all zeros, for BERT-style encoders) and output {@code logits [batch, num_labels]} pooled by the
 * graph (a decoder at each row's last real token, an encoder at its first), no cache; {@code
 * config.json} gives the vocabulary, context and labels ({@link RewardLabels}), and the reward is
 * the logit of one label. Sequences are right-padded into batches of at most {@link
 * #MAX_BATCH_TOKENS} cells. Each call creates its own tensors, and ONNX Runtime's sessions run
 * concurrently, so the scheduler and the scoring endpoint may call it at once.
 */
public final class OnnxSequenceRewardModel implements RewardModel {
    /** The graph file of the layout. */
    public static final String GRAPH_FILE = "model.onnx";
    /** Padded tokens (rows times the longest row) in one run, bounding activation memory. */
    static final int MAX_BATCH_TOKENS = 1 << 16;
    /** The inputs of the layout; {@link #TOKEN_TYPES} is optional. */
    static final Set<String> INPUTS = Set.of("input_ids", "attention_mask");

    static final String TOKEN_TYPES = "token_type_ids";

    private final Path directory;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int vocab;
    private final int context;
    private final boolean tokenTypes;
    private final RewardLabels labels;
    private boolean closed;

    private OnnxSequenceRewardModel(
            Path directory, OrtEnvironment env, OrtSession session, ModelConfig config, RewardLabels labels)
            throws OrtException {
        this.directory = directory;
        this.env = env;
        this.session = session;
        this.vocab = config.vocabSize();
        this.context = config.contextLength();
        this.tokenTypes = session.getInputNames().contains(TOKEN_TYPES);
        this.labels = labels;
    }

    /** Whether a graph with these inputs is in this layout. */
    static boolean accepts(Set<String> inputs) {
        Set<String> extra = new HashSet<>(inputs);
        extra.removeAll(INPUTS);
        extra.remove(TOKEN_TYPES);
        return inputs.containsAll(INPUTS) && extra.isEmpty();
    }

    /**
     * Takes over {@code session} (of {@code directory/model.onnx}), closing it if the directory is
     * unusable. The graph's output is checked with one token: it must be {@code logits [1,
     * num_labels]} with {@code config.json}'s labels; {@code label} picks the reward's (index 0 when
     * empty).
     */
    static OnnxSequenceRewardModel open(Path directory, OrtEnvironment env, OrtSession session, Optional<String> label)
            throws OrtException {
        try {
            Path graph = directory.resolve(GRAPH_FILE);
            if (!session.getOutputNames().contains("logits")) {
                throw new IllegalArgumentException(
                        graph + " has no output 'logits': the sequence-classification layout outputs logits [batch,"
                                + " num_labels]");
            }
            ModelConfig config = ModelConfig.read(directory);
            RewardLabels labels = RewardLabels.read(directory, outputWidth(graph, env, session), label);
            return new OnnxSequenceRewardModel(directory, env, session, config, labels);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The width of {@code logits} for one sequence of one token, which must be {@code [1, width]}. */
    private static int outputWidth(Path graph, OrtEnvironment env, OrtSession session) throws OrtException {
        long[] shape = {1, 1};
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0}), shape);
                OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1}), shape);
                OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {0}), shape);
                OrtSession.Result result =
                        session.run(inputs(session.getInputNames().contains(TOKEN_TYPES), ids, mask, types))) {
            long[] out =
                    ((OnnxTensor) result.get("logits").orElseThrow()).getInfo().getShape();
            if (out.length != 2 || out[0] != 1 || out[1] < 1) {
                throw new IllegalArgumentException(graph + " outputs logits " + Arrays.toString(out)
                        + " for one sequence: the sequence-classification layout outputs logits [batch, num_labels],"
                        + " pooled over the sequence");
            }
            return Math.toIntExact(out[1]);
        }
    }

    private static Map<String, OnnxTensor> inputs(
            boolean tokenTypes, OnnxTensor ids, OnnxTensor mask, OnnxTensor types) {
        return tokenTypes
                ? Map.of("input_ids", ids, "attention_mask", mask, TOKEN_TYPES, types)
                : Map.of("input_ids", ids, "attention_mask", mask);
    }

    @Override
    public float[] score(List<long[]> sequences) throws OrtException {
        float[][] logits = logits(sequences);
        float[] scores = new float[logits.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = logits[i][labels.reward()];
        }
        return scores;
    }

    @Override
    public float[][] logits(List<long[]> sequences) throws OrtException {
        SequenceChecks.check(sequences, vocab, context, directory);
        float[][] logits = new float[sequences.size()][];
        int start = 0;
        while (start < logits.length) {
            int end = chunkEnd(sequences, start);
            run(sequences.subList(start, end), logits, start);
            start = end;
        }
        return logits;
    }

    @Override
    public RewardLabels labels() {
        return labels;
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

    private void run(List<long[]> rows, float[][] logits, int offset) throws OrtException {
        int longest = rows.stream().mapToInt(row -> row.length).max().orElse(0);
        long[] ids = new long[rows.size() * longest];
        long[] mask = new long[ids.length];
        for (int r = 0; r < rows.size(); r++) {
            long[] row = rows.get(r);
            System.arraycopy(row, 0, ids, r * longest, row.length);
            Arrays.fill(mask, r * longest, r * longest + row.length, 1L);
        }
        long[] shape = {rows.size(), longest};
        int width = labels.count();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor typeTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                OrtSession.Result result = session.run(inputs(tokenTypes, idTensor, maskTensor, typeTensor))) {
            FloatBuffer out = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
            if (out.remaining() != rows.size() * width) {
                throw new IllegalStateException(directory.resolve(GRAPH_FILE) + " returned " + out.remaining()
                        + " logits for " + rows.size() + " sequences of " + width + " labels");
            }
            for (int r = 0; r < rows.size(); r++) {
                logits[offset + r] = new float[width];
                out.get(logits[offset + r]);
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
