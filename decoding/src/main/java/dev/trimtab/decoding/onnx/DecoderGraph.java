package dev.trimtab.decoding.onnx;

import static dev.trimtab.decoding.onnx.OnnxGraphBuilder.attribute;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.trimtab.decoding.model.DecoderTensorNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the decoder-with-past graph of a {@link DecoderSpec}: the model contract that the engine
 * reads. Attention runs in a five-dimensional layout {@code [batch, kvHeads, group, seq, headDim]}
 * so that grouped-query attention broadcasts keys and values over the query group instead of
 * copying them, and each pass concatenates the past and this pass's keys and values into its
 * present; or, where {@link #sharesCache} holds, in ONNX Runtime's {@code GroupQueryAttention}, which
 * writes this pass's keys and values into the past's own buffer at each row's length (the present
 * output is that buffer) and attends to each row's own positions only.
 */
final class DecoderGraph {
    private static final String BATCH = "batch_size";
    private static final String SEQ = "sequence_length";
    private static final String PAST = "past_sequence_length";
    private static final String TOTAL = "past_sequence_length + sequence_length";
    /** The positions a shared cache holds per row: past and present alike. */
    private static final String CAPACITY = "cache_capacity";
    /** Added to masked scores: large enough that exp underflows to 0, small enough to stay finite. */
    private static final float MASKED = -1e9f;
    /** {@link #MASKED} for float16 graphs, whose largest finite magnitude is 65504. */
    private static final float MASKED_FP16 = -3e4f;
    /** ONNX Runtime's operator set of its contrib operators ({@code MatMulNBits}). */
    static final String MICROSOFT_DOMAIN = "com.microsoft";

    private final DecoderSpec spec;
    private final DecoderWeights weights;
    private final ExportOptions options;
    private final DecoderTensorNames names;
    private final OnnxGraphBuilder g;
    private final boolean gpt2;
    private final boolean withPast;
    private final WeightPrecision precision;
    /** Element type of activations, caches and logits: FLOAT16 for fp16 graphs, else FLOAT. */
    private final DataType type;
    /** Whether past and present share a buffer ({@link #sharesCache}). */
    private final boolean shared;
    /** GroupQueryAttention's row lengths, shared graphs only. */
    private RowLengths rowLengths;

    /**
     * GroupQueryAttention's {@code seqlens_k} (each row's positions, past and new, minus one) and
     * {@code total_sequence_length} (the longest row's), int32.
     */
    private record RowLengths(String seqlensK, String total) {}

    private DecoderGraph(DecoderSpec spec, DecoderWeights weights, ExportOptions options) {
        this.spec = spec;
        this.weights = weights;
        this.options = options;
        this.names = options.names();
        this.g = new OnnxGraphBuilder("trimtab_decoder");
        this.gpt2 = spec.family() == DecoderSpec.Family.GPT2;
        this.withPast = options.layout() != ExportOptions.Layout.SEQUENCE_CLASSIFICATION;
        this.precision = options.precision();
        this.type = precision.format() == WeightPrecision.Format.FP16 ? DataType.FLOAT16 : DataType.FLOAT;
        this.shared = sharesCache(spec, options);
    }

    /**
     * Whether {@code options} ask for a shared cache and the graph can have one: a single-file
     * language model taking position ids and {@code num_logits_to_keep} and a head size that is a
     * multiple of 8 (what {@code GroupQueryAttention} runs on the CPU, in float32 and float16).
     */
    static boolean sharesCache(DecoderSpec spec, ExportOptions options) {
        return options.sharedCache()
                && options.layout() == ExportOptions.Layout.SINGLE_FILE
                && options.positionIdsInput()
                && options.logitsToKeepInput()
                && spec.head() == DecoderSpec.Head.LANGUAGE_MODEL
                && spec.headDim() % 8 == 0;
    }

    static GraphProto build(DecoderSpec spec, DecoderWeights weights, ExportOptions options) {
        weights.validate(spec);
        if (options.layout() == ExportOptions.Layout.SEQUENCE_CLASSIFICATION && spec.head() != DecoderSpec.Head.SCORE) {
            throw new IllegalArgumentException("the SEQUENCE_CLASSIFICATION layout needs a SCORE head");
        }
        if (options.layout() == ExportOptions.Layout.SEQUENCE_CLASSIFICATION
                && options.precision().format() == WeightPrecision.Format.FP16) {
            throw new IllegalArgumentException(
                    "precision fp16 applies to decoder-with-past layouts; the SEQUENCE_CLASSIFICATION layout is fp32,"
                            + " int8 or int4");
        }
        return new DecoderGraph(spec, weights, options).build();
    }

    private GraphProto build() {
        declareInputsAndOutputs();
        List<String> past = pastCaches();
        String bias = shared ? null : attentionBias();
        if (shared) {
            rowLengths = rowLengths();
        }
        String positions = positions();
        Rotary rotary = gpt2 ? null : rotary(positions);
        String x = embed(positions);
        for (int i = 0; i < spec.layers(); i++) {
            x = layer(i, x, bias, rotary, past.get(2 * i), past.get(2 * i + 1));
        }
        x = norm("final_norm", x);
        if (!withPast) {
            g.opNamed("Reshape", List.of(lastRealPosition(linear("score", x)), g.longs(0, 1)), List.of(names.logits()));
        } else if (spec.head() == DecoderSpec.Head.SCORE) {
            g.opNamed("Identity", List.of(linear("score", x)), List.of(names.logits()));
        } else {
            languageModelHead(shared ? lastOrEveryPosition(x) : keptPositions(x));
        }
        return g.build();
    }

    /** The last {@code num_logits_to_keep} positions of {@code x} (all when 0), or all without the input. */
    private String keptPositions(String x) {
        if (!keepsLogits()) {
            return x;
        }
        String keep = g.op("Reshape", List.of(DecoderTensorNames.LOGITS_TO_KEEP, g.longs(1)));
        String start = g.op("Neg", List.of(keep));
        return g.op("Slice", List.of(x, start, g.longs(Long.MAX_VALUE), g.longs(1)));
    }

    /**
     * Shared-cache graphs: every position when {@code num_logits_to_keep} is 0, else (whatever its
     * value) one position per row, its last real one: the one of its largest position id (prompts
     * there are right-padded, their padding at position 0).
     */
    private String lastOrEveryPosition(String x) {
        String every = g.op("Equal", List.of(DecoderTensorNames.LOGITS_TO_KEEP, g.scalarLong(0)));
        String last = g.op("ArgMax", List.of(names.positionIds()), attribute("axis", 1L), attribute("keepdims", 1L));
        String index = g.op("Unsqueeze", List.of(last, g.longs(2)));
        OnnxGraphBuilder all = new OnnxGraphBuilder("every_position");
        all.output(all.op("Identity", List.of(x)), type);
        OnnxGraphBuilder lastOnly = new OnnxGraphBuilder("last_position");
        lastOnly.output(lastOnly.op("GatherND", List.of(x, index), attribute("batch_dims", 1L)), type);
        return g.op(
                        "If",
                        List.of(every),
                        1,
                        attribute("then_branch", all.build()),
                        attribute("else_branch", lastOnly.build()))
                .get(0);
    }

    /** {@link RowLengths} from the right-padded attention mask: its row sums minus one, and its width. */
    private RowLengths rowLengths() {
        String mask = names.attentionMask();
        String lengths = g.op("ReduceSum", List.of(mask, g.longs(1)), attribute("keepdims", 0L));
        long int32 = DataType.INT32.getNumber();
        String width = g.op("Gather", List.of(g.op("Shape", List.of(mask)), g.scalarLong(1)));
        return new RowLengths(
                g.op("Cast", List.of(g.op("Sub", List.of(lengths, g.scalarLong(1)))), attribute("to", int32)),
                g.op("Cast", List.of(width), attribute("to", int32)));
    }

    private boolean keepsLogits() {
        return withPast && options.logitsToKeepInput() && spec.head() != DecoderSpec.Head.SCORE;
    }

    /**
     * Scores {@code [batch, seq, 1]} pooled at each row's last real position, wherever the padding
     * is: the position maximizing {@code mask * index}.
     */
    private String lastRealPosition(String scores) {
        String mask = names.attentionMask();
        String length = g.op("Gather", List.of(g.op("Shape", List.of(mask)), g.scalarLong(1)));
        String indices = g.op("Range", List.of(g.scalarLong(0), length, g.scalarLong(1)));
        String last = g.op(
                "ReduceMax",
                List.of(g.op("Mul", List.of(mask, indices))),
                attribute("axes", new long[] {1}),
                attribute("keepdims", 1L));
        String index = g.op("Unsqueeze", List.of(last, g.longs(2)));
        return g.op("GatherElements", List.of(scores, index), attribute("axis", 1L));
    }

    private void declareInputsAndOutputs() {
        int kv = spec.kvHeads();
        int hd = spec.headDim();
        g.input(names.inputIds(), DataType.INT64, BATCH, SEQ);
        if (!withPast) {
            g.input(names.attentionMask(), DataType.INT64, BATCH, SEQ);
            g.output(names.logits(), type, BATCH, 1);
            return;
        }
        g.input(names.attentionMask(), DataType.INT64, BATCH, TOTAL);
        if (options.positionIdsInput()) {
            g.input(names.positionIds(), DataType.INT64, BATCH, SEQ);
        }
        for (int i = 0; i < spec.layers(); i++) {
            g.input(names.pastKey(i), type, BATCH, kv, shared ? CAPACITY : PAST, hd);
            g.input(names.pastValue(i), type, BATCH, kv, shared ? CAPACITY : PAST, hd);
        }
        if (options.layout() == ExportOptions.Layout.MERGED) {
            g.input(names.useCacheBranch(), DataType.BOOL, 1);
        }
        if (keepsLogits()) {
            g.input(DecoderTensorNames.LOGITS_TO_KEEP, DataType.INT64);
        }
        g.output(names.logits(), type, BATCH, keepsLogits() ? "kept_positions" : SEQ, spec.outputWidth());
        for (int i = 0; i < spec.layers(); i++) {
            g.output(names.presentKey(i), type, BATCH, kv, shared ? CAPACITY : TOTAL, hd);
            g.output(names.presentValue(i), type, BATCH, kv, shared ? CAPACITY : TOTAL, hd);
        }
    }

    /**
     * The past caches the layers read. In the merged layout an {@code If} on
     * {@code use_cache_branch} passes them through or replaces them by empty ones, as Optimum's
     * merged decoders switch between their with-past and without-past branches.
     */
    private List<String> pastCaches() {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < spec.layers(); i++) {
            inputs.add(withPast ? names.pastKey(i) : null);
            inputs.add(withPast ? names.pastValue(i) : null);
        }
        if (options.layout() != ExportOptions.Layout.MERGED || inputs.isEmpty()) {
            return inputs;
        }
        GraphProto withCache = branch("with_cache", inputs, true, type);
        GraphProto withoutCache = branch("without_cache", inputs, false, type);
        return g.op(
                "If",
                List.of(names.useCacheBranch()),
                inputs.size(),
                attribute("then_branch", withCache),
                attribute("else_branch", withoutCache));
    }

    private static GraphProto branch(String name, List<String> caches, boolean keep, DataType type) {
        OnnxGraphBuilder branch = new OnnxGraphBuilder(name);
        String zero = keep ? null : branch.longs(0);
        String axis = keep ? null : branch.longs(2);
        for (String cache : caches) {
            String out =
                    keep ? branch.op("Identity", List.of(cache)) : branch.op("Slice", List.of(cache, zero, zero, axis));
            branch.output(out, type);
        }
        return branch.build();
    }

    /** Additive mask {@code [batch, 1, 1, seq, total]}: 0 where a query may attend, -1e9 elsewhere. */
    private String attentionBias() {
        String total = g.op("Gather", List.of(g.op("Shape", List.of(names.attentionMask())), g.scalarLong(1)));
        String seq = g.op("Gather", List.of(g.op("Shape", List.of(names.inputIds())), g.scalarLong(1)));
        String past = g.op("Sub", List.of(total, seq));
        String one = g.scalarLong(1);
        String keys = g.op("Unsqueeze", List.of(g.op("Range", List.of(g.scalarLong(0), total, one)), g.longs(0)));
        String queries = g.op("Unsqueeze", List.of(g.op("Range", List.of(past, total, one)), g.longs(1)));
        String causal = g.op("LessOrEqual", List.of(keys, queries));
        String padding = g.op(
                "Cast",
                List.of(g.op("Unsqueeze", List.of(names.attentionMask(), g.longs(1, 2, 3)))),
                attribute("to", (long) DataType.BOOL.getNumber()));
        String allowed = g.op("And", List.of(padding, causal));
        return g.op("Where", List.of(allowed, scalar(0f), scalar(type == DataType.FLOAT16 ? MASKED_FP16 : MASKED)));
    }

    /** {@code position_ids}, or positions derived from the mask: cumsum(mask) - 1, last seq columns, at least 0. */
    private String positions() {
        if (options.positionIdsInput() && withPast) {
            return names.positionIds();
        }
        String mask = names.attentionMask();
        String cumulative = g.op("CumSum", List.of(mask, g.scalarLong(1)));
        String positions = g.op("Sub", List.of(cumulative, g.scalarLong(1)));
        String total = g.op("Shape", List.of(mask), attribute("start", 1L), attribute("end", 2L));
        String seq = g.op("Shape", List.of(names.inputIds()), attribute("start", 1L), attribute("end", 2L));
        String start = g.op("Sub", List.of(total, seq));
        String last = g.op("Slice", List.of(positions, start, total, g.longs(1)));
        return g.op("Max", List.of(last, g.scalarLong(0)));
    }

    /**
     * Token embeddings (plus learned positions for GPT2). Quantized graphs keep the table in float16
     * and cast the gathered rows: a gather reads a few rows, so the table's size matters for memory,
     * not for speed.
     */
    private String embed(String positions) {
        String tokens;
        if (precision.format().quantized()) {
            String table = g.weight("embed.weight", weights.get("embed.weight"), DataType.FLOAT16);
            tokens = g.op("Cast", List.of(g.op("Gather", List.of(table, names.inputIds()))), attribute("to", (long)
                    DataType.FLOAT.getNumber()));
        } else {
            tokens = g.op("Gather", List.of(weight("embed.weight", weights.get("embed.weight")), names.inputIds()));
        }
        if (!gpt2) {
            return tokens;
        }
        String table = weight("pos_embed.weight", weights.get("pos_embed.weight"));
        return g.op("Add", List.of(tokens, g.op("Gather", List.of(table, positions))));
    }

    private String head() {
        if (!spec.tiedHead()) {
            return weight("lm_head.weight", weights.get("lm_head.weight"));
        }
        return g.op("Transpose", List.of("embed.weight"), attribute("perm", 1L, 0L));
    }

    /** The language-model head over {@code x}: a MatMul, or a MatMulNBits over the quantized head. */
    private void languageModelHead(String x) {
        if (!precision.format().quantized()) {
            g.opNamed("MatMul", List.of(x, head()), List.of(names.logits()));
            return;
        }
        FloatTensor head = spec.tiedHead() ? weights.get("embed.weight") : weights.get("lm_head.weight");
        g.opInDomain(
                MICROSOFT_DOMAIN,
                "MatMulNBits",
                quantizedInputs(x, "lm_head.quantized", head, spec.tiedHead()),
                List.of(names.logits()),
                matMulNBitsAttributes(spec.hidden(), spec.vocab()));
    }

    private String layer(int i, String x, String bias, Rotary rotary, String pastKey, String pastValue) {
        String attended = attention(i, norm(DecoderWeights.layer(i, "attn_norm"), x), bias, rotary, pastKey, pastValue);
        String residual = g.op("Add", List.of(x, attended));
        String mlp = mlp(i, norm(DecoderWeights.layer(i, "mlp_norm"), residual));
        return g.op("Add", List.of(residual, mlp));
    }

    private String attention(int i, String x, String bias, Rotary rotary, String pastKey, String pastValue) {
        int heads = spec.heads();
        int kvHeads = spec.kvHeads();
        int hd = spec.headDim();
        String q = reshape(linear(DecoderWeights.layer(i, "attn.q"), x), 0, 0, heads, hd);
        String k = reshape(linear(DecoderWeights.layer(i, "attn.k"), x), 0, 0, kvHeads, hd);
        String v = reshape(linear(DecoderWeights.layer(i, "attn.v"), x), 0, 0, kvHeads, hd);
        if (rotary != null) {
            q = rotate(rotary, q);
            k = rotate(rotary, k);
        }
        if (shared) {
            return linear(DecoderWeights.layer(i, "attn.o"), sharedAttention(i, q, k, v, pastKey, pastValue));
        }
        String q5 = transpose(reshape(q, 0, 0, kvHeads, heads / kvHeads, hd), 0, 2, 3, 1, 4);
        String keys = cache(transpose(k, 0, 2, 1, 3), pastKey, names.presentKey(i));
        String values = cache(transpose(v, 0, 2, 1, 3), pastValue, names.presentValue(i));
        String k5 = g.op("Unsqueeze", List.of(keys, g.longs(2)));
        String v5 = g.op("Unsqueeze", List.of(values, g.longs(2)));
        String scaled = g.op("Mul", List.of(q5, scalar((float) (1 / Math.sqrt(hd)))));
        String scores = g.op("Add", List.of(g.op("MatMul", List.of(scaled, transpose(k5, 0, 1, 2, 4, 3))), bias));
        String probabilities = g.op("Softmax", List.of(scores), attribute("axis", -1L));
        String context = transpose(g.op("MatMul", List.of(probabilities, v5)), 0, 3, 1, 2, 4);
        return linear(DecoderWeights.layer(i, "attn.o"), reshape(context, 0, 0, heads * hd));
    }

    /**
     * GroupQueryAttention over {@code [batch, seq, heads, headDim]} queries, keys and values: it
     * writes this pass's keys and values into the past buffers at each row's length (ONNX Runtime
     * sees the present output over the same buffer and writes in place) and attends causally to each
     * row's own positions. Returns {@code [batch, seq, heads * headDim]}.
     */
    private String sharedAttention(int i, String q, String k, String v, String pastKey, String pastValue) {
        int hd = spec.headDim();
        String query = g.op("Reshape", List.of(q, g.longs(0, 0, (long) spec.heads() * hd)));
        String keys = g.op("Reshape", List.of(k, g.longs(0, 0, (long) spec.kvHeads() * hd)));
        String values = g.op("Reshape", List.of(v, g.longs(0, 0, (long) spec.kvHeads() * hd)));
        String output = g.fresh("GroupQueryAttention");
        g.opInDomain(
                MICROSOFT_DOMAIN,
                "GroupQueryAttention",
                List.of(query, keys, values, pastKey, pastValue, rowLengths.seqlensK(), rowLengths.total()),
                List.of(output, names.presentKey(i), names.presentValue(i)),
                attribute("num_heads", (long) spec.heads()),
                attribute("kv_num_heads", (long) spec.kvHeads()));
        return output;
    }

    /** Appends this step's keys or values to the past ones; the result is the present output. */
    private String cache(String current, String past, String present) {
        if (past == null) {
            return current;
        }
        g.opNamed("Concat", List.of(past, current), List.of(present), attribute("axis", 2L));
        return present;
    }

    private String mlp(int i, String x) {
        String up = linear(DecoderWeights.layer(i, "mlp.up"), x);
        String hidden =
                gpt2 ? gelu(up) : g.op("Mul", List.of(silu(linear(DecoderWeights.layer(i, "mlp.gate"), x)), up));
        return linear(DecoderWeights.layer(i, "mlp.down"), hidden);
    }

    /** GELU in its exact form: x/2 (1 + erf(x / sqrt 2)). */
    private String gelu(String x) {
        String erf = g.op("Erf", List.of(g.op("Mul", List.of(x, scalar((float) (1 / Math.sqrt(2)))))));
        String gate = g.op("Mul", List.of(g.op("Add", List.of(erf, scalar(1f))), scalar(0.5f)));
        return g.op("Mul", List.of(x, gate));
    }

    private String silu(String x) {
        return g.op("Mul", List.of(x, g.op("Sigmoid", List.of(x))));
    }

    /** LayerNorm (GPT2) or RMSNorm x / sqrt(mean(x^2) + eps) * gain (LLAMA). */
    private String norm(String name, String x) {
        String gain = weight(name + ".weight", weights.get(name + ".weight"));
        if (gpt2) {
            String shift = weight(name + ".bias", weights.get(name + ".bias"));
            return g.op(
                    "LayerNormalization",
                    List.of(x, gain, shift),
                    attribute("axis", -1L),
                    attribute("epsilon", spec.normEpsilon()));
        }
        String meanSquare = g.op(
                "ReduceMean",
                List.of(g.op("Mul", List.of(x, x))),
                attribute("axes", new long[] {-1}),
                attribute("keepdims", 1L));
        String rms = g.op("Sqrt", List.of(g.op("Add", List.of(meanSquare, scalar(spec.normEpsilon())))));
        return g.op("Mul", List.of(g.op("Div", List.of(x, rms)), gain));
    }

    /** {@code x W + b}; in quantized graphs a MatMulNBits over the block-quantized W (score heads excepted). */
    private String linear(String name, String x) {
        FloatTensor w = weights.get(name + ".weight");
        String product;
        if (precision.format().quantized() && !name.equals("score")) {
            int[] shape = w.shape();
            product = g.opInDomain(
                    MICROSOFT_DOMAIN,
                    "MatMulNBits",
                    quantizedInputs(x, name + ".weight", w, false),
                    matMulNBitsAttributes(shape[0], shape[1]));
        } else {
            product = g.op("MatMul", List.of(x, weight(name + ".weight", w)));
        }
        return weights.find(name + ".bias")
                .map(b -> g.op("Add", List.of(product, weight(name + ".bias", b))))
                .orElse(product);
    }

    /** MatMulNBits's inputs: {@code a}, then B, scales and (asymmetric) zero points, stored here. */
    private List<String> quantizedInputs(String a, String name, FloatTensor w, boolean outputMajor) {
        BlockQuantizer.QuantizedMatrix q = BlockQuantizer.quantize(
                w, outputMajor, precision.format().bits(), precision.blockSize(), precision.symmetric());
        int blocks = q.blocksPerColumn();
        String codes = g.raw(name + ".codes", DataType.UINT8, new long[] {q.n(), blocks, q.blobSize()}, q.codes());
        String scales = g.raw(
                name + ".scales",
                DataType.FLOAT,
                new long[] {(long) q.n() * blocks},
                OnnxGraphBuilder.encode(q.scales(), DataType.FLOAT));
        List<String> inputs = new ArrayList<>(List.of(a, codes, scales));
        if (!q.symmetric()) {
            inputs.add(g.raw(
                    name + ".zero_points",
                    DataType.UINT8,
                    new long[] {(long) q.n() * q.zeroPointBytesPerColumn()},
                    q.zeroPoints()));
        }
        return inputs;
    }

    private AttributeProto[] matMulNBitsAttributes(int k, int n) {
        return new AttributeProto[] {
            attribute("K", (long) k),
            attribute("N", (long) n),
            attribute("bits", (long) precision.format().bits()),
            attribute("block_size", (long) precision.blockSize()),
            attribute("accuracy_level", (long) precision.accuracyLevel())
        };
    }

    /** A weight in the graph's element type. */
    private String weight(String name, FloatTensor tensor) {
        return g.weight(name, tensor, type);
    }

    /** A scalar constant in the graph's element type. */
    private String scalar(float value) {
        return g.scalar(value, type);
    }

    private String reshape(String x, long... shape) {
        return g.op("Reshape", List.of(x, g.longs(shape)));
    }

    private String transpose(String x, long... perm) {
        return g.op("Transpose", List.of(x), attribute("perm", perm));
    }

    private Rotary rotary(String positions) {
        int hd = spec.headDim();
        float[] cos = new float[spec.maxPositions() * hd];
        float[] sin = new float[spec.maxPositions() * hd];
        for (int p = 0; p < spec.maxPositions(); p++) {
            for (int j = 0; j < hd; j++) {
                double angle = p * Math.pow(spec.ropeTheta(), -2.0 * (j % (hd / 2)) / hd);
                cos[p * hd + j] = (float) Math.cos(angle);
                sin[p * hd + j] = (float) Math.sin(angle);
            }
        }
        String cosTable = weight("rotary.cos", new FloatTensor(new int[] {spec.maxPositions(), hd}, cos));
        String sinTable = weight("rotary.sin", new FloatTensor(new int[] {spec.maxPositions(), hd}, sin));
        String axis = g.longs(2);
        return new Rotary(
                g.op("Unsqueeze", List.of(g.op("Gather", List.of(cosTable, positions)), axis)),
                g.op("Unsqueeze", List.of(g.op("Gather", List.of(sinTable, positions)), axis)),
                g.longs(0),
                g.longs(hd / 2),
                g.longs(hd),
                g.longs(3));
    }

    /**
     * Rotary position embedding in the rotate-half form: x cos + rotate_half(x) sin, with
     * rotate_half(x) = concat(-x2, x1) over the halves of the head (RoFormer, eq. 34, as Llama
     * implements it). {@code x} is {@code [batch, seq, heads, headDim]}.
     */
    private String rotate(Rotary r, String x) {
        String first = g.op("Slice", List.of(x, r.zero(), r.half(), r.axis()));
        String second = g.op("Slice", List.of(x, r.half(), r.full(), r.axis()));
        String rotated = g.op("Concat", List.of(g.op("Neg", List.of(second)), first), attribute("axis", 3L));
        return g.op("Add", List.of(g.op("Mul", List.of(x, r.cos())), g.op("Mul", List.of(rotated, r.sin()))));
    }

    /** Rotary tables gathered at this step's positions ({@code [batch, seq, 1, headDim]}) and slice bounds. */
    private record Rotary(String cos, String sin, String zero, String half, String full, String axis) {}
}
