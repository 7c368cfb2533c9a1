package dev.trimtab.decoding.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import dev.trimtab.decoding.model.DecoderTensorNames;
import dev.trimtab.decoding.model.ModelConfig;
import dev.trimtab.decoding.model.ModelFiles;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A causal language model in one ONNX Runtime session, checked against the decoder-with-past
 * contract when loaded. Runs forward passes for {@link DecoderBatch}; not thread-safe.
 */
public final class DecoderModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelFiles files;
    private final ModelConfig config;
    private final GraphContract contract;
    private final List<String> presentNames;
    private final CacheMemory cacheMemory;
    private final InputBuffers inputBuffers = new InputBuffers();
    /** {@code num_logits_to_keep} scalars, 1 and 0, made once: a pass would otherwise create one. */
    private final OnnxTensor keepLast;

    private final OnnxTensor keepEvery;
    /** Where ONNX Runtime writes half-precision logits before they are widened; unused for float32 logits. */
    private ByteBuffer halfLogits = ByteBuffer.allocate(0);

    private boolean closed;

    private DecoderModel(
            OrtEnvironment env, OrtSession session, ModelFiles files, ModelConfig config, GraphContract contract)
            throws OrtException {
        this.env = env;
        this.session = session;
        this.files = files;
        this.config = config;
        this.contract = contract;
        this.cacheMemory = new CacheMemory(contract.cacheType());
        this.keepLast = OnnxTensor.createTensor(env, 1L);
        this.keepEvery = OnnxTensor.createTensor(env, 0L);
        this.presentNames = new ArrayList<>();
        for (int i = 0; i < contract.cacheShape().layers(); i++) {
            presentNames.add(files.names().presentKey(i));
            presentNames.add(files.names().presentValue(i));
        }
    }

    /** Loads the model directory {@code directory}; bad files fail here, naming the file and rule. */
    public static DecoderModel load(Path directory, SessionSettings settings) throws OrtException {
        ModelFiles files = ModelFiles.locate(directory);
        ModelConfig config = ModelConfig.read(directory);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (SessionOptions options = settings.toOptions()) {
            session = env.createSession(files.graph().toString(), options);
        } catch (OrtException e) {
            // ONNX Runtime names the operator or type it cannot run; say which model file it was.
            String reason = e.getMessage().replaceFirst("^Error code - \\w+ - message: ", "");
            throw new OrtException(e.getCode(), "cannot load " + files.graph() + ": " + reason);
        }
        try {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            GraphContract contract = GraphContract.check(
                    files.graph(),
                    files.names(),
                    config,
                    session.getInputInfo(),
                    session.getOutputInfo(),
                    Optional.ofNullable(metadata.get(ModelFiles.WEIGHTS_METADATA)),
                    Optional.ofNullable(metadata.get(ModelFiles.CACHE_METADATA)));
            return new DecoderModel(env, session, files, config, contract);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public ModelFiles files() {
        return files;
    }

    public CacheShape cacheShape() {
        return contract.cacheShape();
    }

    /**
     * The number formats found when loading: cache and logits element types from the graph, and the
     * weights' format where the exporter declared it, e.g. {@code "int4 weights (block 32,
     * symmetric), float32 caches and logits"}.
     */
    public String precision() {
        return contract.precision();
    }

    /**
     * Whether past and present share one buffer per layer (the graph declares {@link
     * ModelFiles#CACHE_METADATA}): rows hold their tokens from position 0 in slots of a fixed
     * capacity, the mask is right-padded, and a pass writes its keys and values in place.
     */
    public boolean sharedCache() {
        return contract.sharedCache();
    }

    /** Element type of this model's past and present keys and values, in which its caches are kept. */
    public CacheType cacheType() {
        return contract.cacheType();
    }

    /** Width of the logits; the tokenizer's vocabulary must fit in it. */
    public int vocabSize() {
        return contract.vocabSize();
    }

    /** Token ids the model accepts as input: {@code vocab_size} of config.json (rows of the embedding). */
    public int inputVocabSize() {
        return config.vocabSize();
    }

    /** Longest sequence, prompt plus completion, the model accepts. */
    public int contextLength() {
        return config.contextLength();
    }

    OrtEnvironment environment() {
        return env;
    }

    /**
     * Key/value tensors of this model's caches not yet released: 0 once every {@link DecoderBatch}
     * of the model is closed. A leak check for tests and a gauge for servers.
     */
    public int liveCacheTensors() {
        return cacheMemory.liveTensors();
    }

    /**
     * KV-cache values (of the model's {@link #cacheType()}) copied so far between batches of this
     * model (rows leaving, joining or forking a batch), apart from the copy ONNX Runtime makes inside
     * each pass: what continuous batching costs beyond the engine's own steps.
     */
    public long copiedCacheFloats() {
        return cacheMemory.copiedValues();
    }

    /** Fresh cache and logits buffers allocated so far because no pooled buffer fit, in floats' worth (4 bytes). */
    public long allocatedCacheFloats() {
        return cacheMemory.allocatedBytes() / Float.BYTES;
    }

    CacheMemory cacheMemory() {
        return cacheMemory;
    }

    /**
     * One forward pass over {@code seq} new tokens per row. ONNX Runtime writes the logits
     * {@code [batch, seq, vocab]} straight into {@code logits} and the present keys and values into
     * pooled direct buffers (pinned outputs); the returned cache holds them, and becomes the next
     * pass's past without a copy. With a {@linkplain #sharedCache() shared cache} the past is
     * returned, written in place.
     */
    KvCache forward(StepInputs step, KvCache past, FloatBuffer logits) throws OrtException {
        return forward(step, past, logits, false);
    }

    /**
     * {@link #forward(StepInputs, KvCache, FloatBuffer)}, with logits at every one of the {@code seq}
     * positions when {@code everyPosition} ({@code num_logits_to_keep} 0), e.g. to score a prompt.
     */
    KvCache forward(StepInputs step, KvCache past, FloatBuffer logits, boolean everyPosition) throws OrtException {
        if (step.batch() == 0 || step.seq() == 0) {
            // ONNX Runtime 1.23 aborts the process on some zero-sized inputs (GroupQueryAttention, ArgMax).
            throw new IllegalArgumentException(
                    "a forward pass needs at least one row and one token, got " + step.batch() + " x " + step.seq());
        }
        DecoderTensorNames names = files.names();
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensorLike> inputs = new HashMap<>();
            inputs.put(names.inputIds(), longs(owned, names.inputIds(), step.inputIds(), step.batch(), step.seq()));
            inputs.put(
                    names.attentionMask(),
                    longs(owned, names.attentionMask(), step.attentionMask(), step.batch(), step.total()));
            if (contract.positionIdsInput()) {
                inputs.put(
                        names.positionIds(),
                        longs(owned, names.positionIds(), step.positionIds(), step.batch(), step.seq()));
            }
            if (contract.logitsToKeepInput()) {
                inputs.put(DecoderTensorNames.LOGITS_TO_KEEP, everyPosition ? keepEvery : keepLast);
            }
            if (contract.merged()) {
                OnnxTensor useCache = OnnxTensor.createTensor(env, new boolean[] {past.length() > 0});
                owned.add(useCache);
                inputs.put(names.useCacheBranch(), useCache);
            }
            for (int i = 0; i < contract.cacheShape().layers(); i++) {
                inputs.put(names.pastKey(i), past.key(i));
                inputs.put(names.pastValue(i), past.value(i));
            }
            long[] logitsDims = {step.batch(), logitsPositions(step.seq(), everyPosition), contract.vocabSize()};
            boolean widen = contract.logitsType() != CacheType.FLOAT;
            OnnxTensor logitsTensor = widen
                    ? contract.logitsType().tensor(env, halfLogits(logits.remaining()), logitsDims)
                    : OnnxTensor.createTensor(env, logits, logitsDims);
            owned.add(logitsTensor);
            Map<String, OnnxTensor> outputs = new HashMap<>();
            outputs.put(names.logits(), logitsTensor);
            // A shared cache is its own present: the pass writes this step's keys and values into it.
            KvCache present = contract.sharedCache()
                    ? past
                    : KvCache.pooled(env, contract.cacheShape(), step.batch(), step.total(), cacheMemory);
            try {
                for (int i = 0; i < presentNames.size(); i++) {
                    outputs.put(presentNames.get(i), present.tensor(i));
                }
                try (OrtSession.Result ignored = session.run(inputs, Set.of(), outputs)) {
                    if (widen) {
                        contract.logitsType().widen(halfLogits, logits.duplicate(), logits.remaining());
                    }
                    return present;
                }
            } catch (OrtException | RuntimeException e) {
                if (present != past) {
                    present.close();
                }
                throw e;
            }
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /**
     * Positions per row that a pass over {@code seq} tokens writes logits for: the last only when the
     * graph takes {@code num_logits_to_keep} (nothing reads the others), else every one.
     */
    int logitsPositions(int seq) {
        return logitsPositions(seq, false);
    }

    /** As {@link #logitsPositions(int)}, or every position when {@code everyPosition}. */
    int logitsPositions(int seq, boolean everyPosition) {
        return contract.logitsToKeepInput() && !everyPosition ? 1 : seq;
    }

    /** The staging buffer of half-precision logits, {@code values} long, grown when too small. */
    private ByteBuffer halfLogits(int values) {
        long bytes = (long) values * contract.logitsType().bytes();
        if (halfLogits.capacity() < bytes) {
            cacheMemory.give(halfLogits);
            halfLogits = cacheMemory.take(bytes);
        }
        return halfLogits.clear().limit((int) bytes);
    }

    private OnnxTensor longs(List<OnnxTensor> owned, String name, long[] values, int rows, int columns)
            throws OrtException {
        OnnxTensor tensor = OnnxTensor.createTensor(env, inputBuffers.fill(name, values), new long[] {rows, columns});
        owned.add(tensor);
        return tensor;
    }

    @Override
    public void close() throws OrtException {
        if (!closed) {
            closed = true;
            keepLast.close();
            keepEvery.close();
            session.close();
        }
    }
}
