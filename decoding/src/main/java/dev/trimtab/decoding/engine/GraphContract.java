package dev.trimtab.decoding.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import dev.trimtab.decoding.model.DecoderTensorNames;
import dev.trimtab.decoding.model.ModelConfig;
import dev.trimtab.decoding.model.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a loaded graph against the decoder-with-past contract and derives the cache geometry:
 * layers from the past inputs, kv heads and head size from their metadata where it is fixed and
 * from {@code config.json} where it is symbolic, and the element types of caches and logits (float32,
 * float16 or bfloat16; caches all of one type). Every violation is reported at once, naming the
 * tensor and its type.
 *
 * @param cacheShape layers, kv heads and head size
 * @param vocabSize width of the logits
 * @param positionIdsInput whether the graph takes {@code position_ids}
 * @param merged whether the graph takes {@code use_cache_branch} (legacy merged layout)
 * @param logitsToKeepInput whether the graph takes {@code num_logits_to_keep}: then a pass computes
 *     logits at the last position only
 * @param cacheType element type of every past and present key and value
 * @param logitsType element type of the logits
 * @param precision what was found, for logs and model cards: the weights' format where the exporter
 *     declared it, then the types of caches and logits
 * @param sharedCache whether the graph declares that past and present share one buffer per layer
 *     ({@link ModelFiles#CACHE_METADATA}): rows start at position 0, the mask is right-padded and a
 *     pass writes into its past
 */
record GraphContract(
        CacheShape cacheShape,
        int vocabSize,
        boolean positionIdsInput,
        boolean merged,
        boolean logitsToKeepInput,
        CacheType cacheType,
        CacheType logitsType,
        String precision,
        boolean sharedCache) {

    static GraphContract check(
            Path graph,
            DecoderTensorNames names,
            ModelConfig config,
            Map<String, NodeInfo> inputs,
            Map<String, NodeInfo> outputs,
            Optional<String> declaredWeights,
            Optional<String> declaredCache) {
        List<String> errors = new ArrayList<>();
        Set<String> expectedInputs = new HashSet<>();
        requireTensor(errors, "input", inputs, names.inputIds(), OnnxJavaType.INT64, expectedInputs);
        requireTensor(errors, "input", inputs, names.attentionMask(), OnnxJavaType.INT64, expectedInputs);
        boolean positions = optionalTensor(errors, inputs, names.positionIds(), OnnxJavaType.INT64, expectedInputs);
        boolean merged = optionalTensor(errors, inputs, names.useCacheBranch(), OnnxJavaType.BOOL, expectedInputs);
        boolean keep =
                optionalTensor(errors, inputs, DecoderTensorNames.LOGITS_TO_KEEP, OnnxJavaType.INT64, expectedInputs);
        int layers = countLayers(inputs, names);
        if (layers != config.layers()) {
            errors.add("the graph has past inputs for " + layers + " layers ('" + names.pastKey(0)
                    + "', ...) but config.json says " + config.layers());
        }
        CacheType cacheType =
                layers == 0 ? CacheType.FLOAT : floatType(errors, "input", inputs, names.pastKey(0), expectedInputs);
        OnnxJavaType cacheJavaType = javaType(cacheType);
        for (int i = 0; i < layers; i++) {
            requireTensor(errors, "input", inputs, names.pastKey(i), cacheJavaType, expectedInputs);
            requireTensor(errors, "input", inputs, names.pastValue(i), cacheJavaType, expectedInputs);
            requireTensor(errors, "output", outputs, names.presentKey(i), cacheJavaType, new HashSet<>());
            requireTensor(errors, "output", outputs, names.presentValue(i), cacheJavaType, new HashSet<>());
        }
        CacheType logitsType = floatType(errors, "output", outputs, names.logits(), new HashSet<>());
        boolean shared = declaredCache.isPresent();
        if (shared && !declaredCache.get().equals(ModelFiles.SHARED_CACHE)) {
            errors.add("metadata '" + ModelFiles.CACHE_METADATA + "' must be '" + ModelFiles.SHARED_CACHE + "', got '"
                    + declaredCache.get() + "'");
        }
        if (shared && (!positions || !keep || merged)) {
            errors.add("a shared cache ('" + ModelFiles.CACHE_METADATA + "') needs inputs '" + names.positionIds()
                    + "' and '" + DecoderTensorNames.LOGITS_TO_KEEP + "' and no '" + names.useCacheBranch() + "'");
        }
        inputs.keySet().stream()
                .filter(name -> !expectedInputs.contains(name))
                .forEach(name -> errors.add("unexpected input '" + name + "' (the contract allows input ids, "
                        + "attention mask, position ids, past keys/values, use_cache_branch and "
                        + DecoderTensorNames.LOGITS_TO_KEEP + ")"));
        CacheShape shape = new CacheShape(
                layers,
                fixedDim(inputs, names.pastKey(0), 1, config.keyValueHeads(), "num_key_value_heads", errors),
                fixedDim(inputs, names.pastKey(0), 3, config.headDim(), "head_dim", errors));
        int vocab = fixedDim(outputs, names.logits(), 2, config.vocabSize(), "vocab_size", errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(
                    graph + " does not match the decoder-with-past contract: " + String.join("; ", errors));
        }
        String precision =
                declaredWeights.map(weights -> weights + " weights, ").orElse("")
                        + (cacheType == logitsType
                                ? cacheType.label() + " caches and logits"
                                : cacheType.label() + " caches, " + logitsType.label() + " logits");
        return new GraphContract(shape, vocab, positions, merged, keep, cacheType, logitsType, precision, shared);
    }

    /**
     * The element type of tensor {@code name} when it is one the engine exchanges (float32, float16,
     * bfloat16); else an error naming the tensor and its type, and float32 to go on checking.
     */
    private static CacheType floatType(
            List<String> errors, String kind, Map<String, NodeInfo> tensors, String name, Set<String> seen) {
        NodeInfo info = tensors.get(name);
        if (info == null) {
            errors.add("missing " + kind + " '" + name + "'");
            return CacheType.FLOAT;
        }
        seen.add(name);
        Optional<CacheType> type =
                info.getInfo() instanceof TensorInfo tensor ? CacheType.of(tensor.type) : Optional.empty();
        if (type.isEmpty()) {
            errors.add("'" + name + "' must be a float32, float16 or bfloat16 tensor, got " + info.getInfo());
            return CacheType.FLOAT;
        }
        return type.get();
    }

    private static OnnxJavaType javaType(CacheType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
        };
    }

    private static int countLayers(Map<String, NodeInfo> inputs, DecoderTensorNames names) {
        int layers = 0;
        while (inputs.containsKey(names.pastKey(layers))) {
            layers++;
        }
        return layers;
    }

    private static void requireTensor(
            List<String> errors,
            String kind,
            Map<String, NodeInfo> tensors,
            String name,
            OnnxJavaType type,
            Set<String> seen) {
        if (!tensors.containsKey(name)) {
            errors.add("missing " + kind + " '" + name + "'");
            return;
        }
        optionalTensor(errors, tensors, name, type, seen);
    }

    private static boolean optionalTensor(
            List<String> errors, Map<String, NodeInfo> tensors, String name, OnnxJavaType type, Set<String> seen) {
        NodeInfo info = tensors.get(name);
        if (info == null) {
            return false;
        }
        seen.add(name);
        if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != type) {
            errors.add("'" + name + "' must be a " + type + " tensor, got " + info.getInfo());
        }
        return true;
    }

    /** A dimension from the graph's metadata when fixed, checked against config.json; else config.json's. */
    private static int fixedDim(
            Map<String, NodeInfo> tensors, String name, int axis, int configured, String key, List<String> errors) {
        NodeInfo info = tensors.get(name);
        if (info == null || !(info.getInfo() instanceof TensorInfo tensor) || tensor.getShape().length <= axis) {
            return configured;
        }
        long fixed = tensor.getShape()[axis];
        if (fixed <= 0) {
            return configured;
        }
        if (fixed != configured && !key.equals("vocab_size")) {
            errors.add("'" + name + "' has " + fixed + " at axis " + axis + " but config.json's " + key + " is "
                    + configured);
        }
        return (int) fixed;
    }
}
