package dev.trimtab.rewards.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.model.JsonFiles;
import dev.trimtab.decoding.model.ModelConfig;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * A reward model in Optimum's sequence-classification layout: {@code model.onnx} with inputs
 * {@code input_ids} and {@code attention_mask} {@code [batch, seq]} (and {@code token_type_ids},
 * all zeros, for BERT-style encoders) and output {@code logits [batch, num_labels]} pooled by the
 * graph (a decoder at each row's last real token, an encoder at its first), no cache; {@code
 * config.json} gives the vocabulary, context and labels ({@link RewardLabels}), and the reward is
 * the logit of one label. Sequences are right-padded with {@code config.json}'s {@code
 * pad_token_id} (0 when it has none) into batches of at most {@link #MAX_BATCH_TOKENS} cells: a
 * Hugging Face decoder classifier finds each row's last real token by that id, an encoder by the
 * attention mask. A graph whose score of a sequence changes when it is padded (one that pools at
 * the last position whatever the mask, as a decoder exported without a pad id does) is found at
 * load and scored in batches of equal lengths only. Each call creates its own tensors, and ONNX Runtime's sessions run
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
    private final long pad;
    /**
     * Whether right padding leaves a sequence's logits unchanged; if not, only equal lengths share a
     * batch. Probed once at load, before the model is handed out.
     */
    private boolean padding = true;

    private boolean closed;

    private OnnxSequenceRewardModel(
            Path directory, OrtEnvironment env, OrtSession session, ModelConfig config, RewardLabels labels, long pad)
            throws OrtException {
        this.directory = directory;
        this.env = env;
        this.session = session;
        this.vocab = config.vocabSize();
        this.context = config.contextLength();
        this.tokenTypes = session.getInputNames().contains(TOKEN_TYPES);
        this.labels = labels;
        this.pad = pad;
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
            OnnxSequenceRewardModel model =
                    new OnnxSequenceRewardModel(directory, env, session, config, labels, padId(directory, config));
            model.padding = model.padsSafely();
            return model;
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

    /** {@code config.json}'s {@code pad_token_id} when it is an id of the model, else 0. */
    private static long padId(Path directory, ModelConfig config) {
        JsonNode pad = JsonFiles.readRequired(directory.resolve("config.json"), "a reward model needs config.json")
                .get("pad_token_id");
        return pad != null && pad.canConvertToLong() && pad.asLong() >= 0 && pad.asLong() < config.vocabSize()
                ? pad.asLong()
                : 0;
    }

    /**
     * Whether a sequence of two ids, right-padded beside a longer one, scores as it does alone. Not
     * when fewer than three ids are not the pad (nothing to probe with).
     */
    private boolean padsSafely() throws OrtException {
        long[] ids = LongStream.range(0, vocab).filter(id -> id != pad).limit(3).toArray();
        if (ids.length < 3) {
            return false;
        }
        long[] shortOne = {ids[0], ids[1]};
        float[][] alone = new float[1][];
        run(List.of(shortOne), new int[] {0}, 0, 1, alone);
        float[][] together = new float[2][];
        run(List.of(shortOne, new long[] {ids[0], ids[1], ids[2]}), new int[] {0, 1}, 0, 2, together);
        for (int j = 0; j < alone[0].length; j++) {
            if (Math.abs(alone[0][j] - together[0][j]) > 1e-4 * Math.max(1, Math.abs(alone[0][j]))) {
                return false;
            }
        }
        return true;
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
        // without safe padding, equal lengths side by side so that each batch holds one length
        IntStream indices = IntStream.range(0, sequences.size());
        int[] order = padding
                ? indices.toArray()
                : indices.boxed()
                        .sorted(Comparator.comparingInt(i -> sequences.get(i).length))
                        .mapToInt(Integer::intValue)
                        .toArray();
        int start = 0;
        while (start < order.length) {
            int end = chunkEnd(sequences, order, start);
            run(sequences, order, start, end, logits);
            start = end;
        }
        return logits;
    }

    /** Whether sequences of different lengths share a batch (right-padded). */
    public boolean padsBatches() {
        return padding;
    }

    @Override
    public RewardLabels labels() {
        return labels;
    }

    /**
     * The end of the longest run of {@code order} from {@code start} whose padded size stays within
     * the budget (and, without safe padding, whose sequences are all as long as the first).
     */
    private int chunkEnd(List<long[]> sequences, int[] order, int start) {
        int first = sequences.get(order[start]).length;
        int longest = 0;
        int end = start;
        while (end < order.length) {
            int length = sequences.get(order[end]).length;
            int width = Math.max(longest, length);
            if (end > start && ((long) width * (end - start + 1) > MAX_BATCH_TOKENS || (!padding && length != first))) {
                break;
            }
            longest = width;
            end++;
        }
        return end;
    }

    /** Runs the sequences {@code order[start..end)} in one batch, writing each one's logits at its index. */
    private void run(List<long[]> sequences, int[] order, int start, int end, float[][] logits) throws OrtException {
        int rows = end - start;
        int longest = 0;
        for (int r = start; r < end; r++) longest = Math.max(longest, sequences.get(order[r]).length);
        long[] ids = new long[rows * longest];
        long[] mask = new long[ids.length];
        Arrays.fill(ids, pad);
        for (int r = 0; r < rows; r++) {
            long[] row = sequences.get(order[start + r]);
            System.arraycopy(row, 0, ids, r * longest, row.length);
            Arrays.fill(mask, r * longest, r * longest + row.length, 1L);
        }
        long[] shape = {rows, longest};
        int width = labels.count();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor typeTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                OrtSession.Result result = session.run(inputs(tokenTypes, idTensor, maskTensor, typeTensor))) {
            FloatBuffer out = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
            if (out.remaining() != rows * width) {
                throw new IllegalStateException(directory.resolve(GRAPH_FILE) + " returned " + out.remaining()
                        + " logits for " + rows + " sequences of " + width + " labels");
            }
            for (int r = 0; r < rows; r++) {
                logits[order[start + r]] = new float[width];
                out.get(logits[order[start + r]]);
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
