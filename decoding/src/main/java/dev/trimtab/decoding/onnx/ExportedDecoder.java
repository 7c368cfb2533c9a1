package dev.trimtab.decoding.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import dev.trimtab.decoding.model.DecoderTensorNames;
import dev.trimtab.decoding.model.JsonFiles;
import dev.trimtab.decoding.model.ModelConfig;
import dev.trimtab.decoding.model.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A float32 decoder read back from a directory that {@link DecoderExporter} wrote (a trained bundle
 * model, a {@code make-model} output): architecture, weights and layout, so that it can be written
 * again in another {@link WeightPrecision}. The weights are the graph's initializers under the
 * exporter's names; graphs from other exporters are refused, naming what is missing.
 *
 * @param spec the architecture, from {@code config.json} and the weights' shapes
 * @param weights the float32 weights
 * @param options layout, inputs and tensor names of the existing graph (its precision float32)
 * @param eosTokenId the first end-of-sequence id of {@code config.json}
 */
public record ExportedDecoder(DecoderSpec spec, DecoderWeights weights, ExportOptions options, long eosTokenId) {

    /** Reads the model directory {@code directory}. */
    public static ExportedDecoder read(Path directory) {
        ModelFiles files = ModelFiles.locate(directory);
        ModelConfig config = ModelConfig.read(directory);
        ModelProto model = parse(files.graph());
        Map<String, FloatTensor> tensors = floatInitializers(files.graph(), model);
        Set<String> inputs = model.getGraph().getInputList().stream()
                .map(ValueInfoProto::getName)
                .collect(Collectors.toSet());
        DecoderSpec spec = spec(directory, config, tensors);
        Map<String, FloatTensor> weights = new LinkedHashMap<>();
        DecoderWeights.expectedShapes(spec).keySet().forEach(name -> weights.put(name, require(files, tensors, name)));
        for (int i = 0; i < spec.layers(); i++) {
            for (String optional : new String[] {"attn.q.bias", "attn.k.bias", "attn.v.bias", "attn.o.bias"}) {
                String name = DecoderWeights.layer(i, optional);
                if (tensors.containsKey(name)) weights.put(name, tensors.get(name));
            }
        }
        DecoderTensorNames names = files.names();
        // Only score heads come in the sequence-classification layout, whose inputs are ids and mask alone.
        boolean withPast =
                inputs.contains(names.pastKey(0)) || spec.head() != DecoderSpec.Head.SCORE || inputs.size() > 2;
        ExportOptions.Layout layout = !withPast
                ? ExportOptions.Layout.SEQUENCE_CLASSIFICATION
                : files.graph().getFileName().toString().equals(ModelFiles.MERGED_FILE)
                        ? ExportOptions.Layout.MERGED
                        : ExportOptions.Layout.SINGLE_FILE;
        ExportOptions options = new ExportOptions(
                layout,
                inputs.contains(names.positionIds()),
                names,
                inputs.contains(DecoderTensorNames.LOGITS_TO_KEEP),
                WeightPrecision.FP32,
                model.getMetadataPropsList().stream()
                        .anyMatch(entry -> entry.getKey().equals(ModelFiles.CACHE_METADATA)
                                && entry.getValue().equals(ModelFiles.SHARED_CACHE)));
        long eos = config.eosTokenIds().stream().findFirst().orElse(0L);
        return new ExportedDecoder(spec, new DecoderWeights(weights), options, eos);
    }

    private static ModelProto parse(Path graph) {
        try (InputStream in = Files.newInputStream(graph)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            return ModelProto.parseFrom(coded);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + graph, e);
        }
    }

    /** The float32 initializers by name; an initializer of the exporter's names in another type is refused. */
    private static Map<String, FloatTensor> floatInitializers(Path graph, ModelProto model) {
        Map<String, FloatTensor> tensors = new HashMap<>();
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            if (tensor.getDimsCount() == 0) {
                continue; // scalar constants
            }
            if (tensor.getDataType() != DataType.FLOAT.getNumber()) {
                if (tensor.getName().endsWith(".weight") || tensor.getName().endsWith(".codes")) {
                    throw new IllegalArgumentException(graph + ": weight '" + tensor.getName() + "' is "
                            + DataType.forNumber(tensor.getDataType())
                            + ", not FLOAT; only float32 exports can be written in another precision");
                }
                continue;
            }
            int[] shape = tensor.getDimsList().stream().mapToInt(Long::intValue).toArray();
            float[] data =
                    new float[Math.toIntExact(tensor.getDimsList().stream().reduce(1L, (a, b) -> a * b))];
            if (tensor.hasRawData()) {
                ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                raw.asFloatBuffer().get(data);
            } else {
                for (int i = 0; i < data.length; i++) data[i] = tensor.getFloatData(i);
            }
            tensors.put(tensor.getName(), new FloatTensor(shape, data));
        }
        return tensors;
    }

    private static DecoderSpec spec(Path directory, ModelConfig config, Map<String, FloatTensor> tensors) {
        JsonNode json = JsonFiles.readRequired(directory.resolve("config.json"), "a model directory needs config.json");
        FloatTensor embed = tensors.get("embed.weight");
        if (embed == null) {
            throw new IllegalArgumentException(directory + ": the graph has no initializer 'embed.weight';"
                    + " only graphs written by trimtab's exporter can be written in another precision");
        }
        boolean gpt2 = tensors.containsKey("pos_embed.weight");
        int hidden = embed.shape()[1];
        FloatTensor up = tensors.get(DecoderWeights.layer(0, "mlp.up.weight"));
        int intermediate = up != null ? up.shape()[1] : 4 * hidden;
        float epsilon =
                (float) json.path(gpt2 ? "layer_norm_epsilon" : "rms_norm_eps").asDouble(gpt2 ? 1e-5 : 1e-6);
        return new DecoderSpec(
                gpt2 ? DecoderSpec.Family.GPT2 : DecoderSpec.Family.LLAMA,
                config.layers(),
                hidden,
                config.attentionHeads(),
                config.keyValueHeads(),
                intermediate,
                embed.shape()[0],
                config.contextLength(),
                epsilon,
                (float) json.path("rope_theta").asDouble(10000),
                !tensors.containsKey("lm_head.weight"),
                tensors.containsKey("score.weight") ? DecoderSpec.Head.SCORE : DecoderSpec.Head.LANGUAGE_MODEL);
    }

    private static FloatTensor require(ModelFiles files, Map<String, FloatTensor> tensors, String name) {
        FloatTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(files.graph() + ": missing float32 initializer '" + name
                    + "'; only graphs written by trimtab's exporter can be written in another precision");
        }
        return tensor;
    }
}
