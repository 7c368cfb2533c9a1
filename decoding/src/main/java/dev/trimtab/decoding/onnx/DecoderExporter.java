package dev.trimtab.decoding.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.io.AtomicFiles;
import dev.trimtab.decoding.model.DecoderTensorNames;
import dev.trimtab.decoding.model.JsonFiles;
import dev.trimtab.decoding.model.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes a decoder as a model directory in the Hugging Face layout: the ONNX graph (model
 * contract of {@link dev.trimtab.decoding.model.ModelFiles}), {@code config.json} with the key
 * names of its family, and a {@code genai_config.json} when the tensor names are not Optimum's.
 * The tokenizer is written separately. Every file is written atomically.
 */
public final class DecoderExporter {
    /** ONNX opset of the written graphs (LayerNormalization needs 17). */
    public static final int OPSET = 17;

    private static final int IR_VERSION = 8;

    private DecoderExporter() {}

    /**
     * Exports {@code weights} of architecture {@code spec} into {@code directory}.
     *
     * @param eosTokenId the end-of-sequence id written to {@code config.json}
     */
    public static void export(
            Path directory, DecoderSpec spec, DecoderWeights weights, ExportOptions options, long eosTokenId) {
        GraphProto graph = DecoderGraph.build(spec, weights, options);
        ModelProto.Builder builder = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("trimtab")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        boolean shared = DecoderGraph.sharesCache(spec, options);
        if (options.precision().format().quantized() || shared) {
            builder.addOpsetImport(OperatorSetIdProto.newBuilder()
                    .setDomain(DecoderGraph.MICROSOFT_DOMAIN)
                    .setVersion(1));
        }
        builder.addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey(ModelFiles.WEIGHTS_METADATA)
                .setValue(options.precision().describe()));
        if (shared) {
            builder.addMetadataProps(StringStringEntryProto.newBuilder()
                    .setKey(ModelFiles.CACHE_METADATA)
                    .setValue(ModelFiles.SHARED_CACHE));
        }
        ModelProto model = builder.setGraph(graph).build();
        String file = options.layout() == ExportOptions.Layout.MERGED ? ModelFiles.MERGED_FILE : ModelFiles.SINGLE_FILE;
        try {
            AtomicFiles.write(directory.resolve(file), model::writeTo);
            writeJson(directory.resolve("config.json"), HuggingFaceConfig.of(spec, eosTokenId));
            if (!options.names().equals(DecoderTensorNames.OPTIMUM)) {
                writeJson(directory.resolve(ModelFiles.GENAI_CONFIG), genAiConfig(spec, options.names(), file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + directory, e);
        }
    }

    private static ObjectNode genAiConfig(DecoderSpec spec, DecoderTensorNames names, String file) {
        ObjectNode root = JsonFiles.mapper().createObjectNode();
        ObjectNode model = root.putObject("model");
        model.put("type", spec.family().name().toLowerCase(java.util.Locale.ROOT));
        model.put("context_length", spec.maxPositions());
        model.put("vocab_size", spec.vocab());
        ObjectNode decoder = model.putObject("decoder");
        decoder.put("filename", file);
        decoder.put("num_hidden_layers", spec.layers());
        decoder.put("num_attention_heads", spec.heads());
        decoder.put("num_key_value_heads", spec.kvHeads());
        decoder.put("head_size", spec.headDim());
        decoder.put("hidden_size", spec.hidden());
        ObjectNode inputs = decoder.putObject("inputs");
        inputs.put("input_ids", names.inputIds());
        inputs.put("attention_mask", names.attentionMask());
        inputs.put("position_ids", names.positionIds());
        inputs.put("past_key_names", names.pastKeyPattern());
        inputs.put("past_value_names", names.pastValuePattern());
        ObjectNode outputs = decoder.putObject("outputs");
        outputs.put("logits", names.logits());
        outputs.put("present_key_names", names.presentKeyPattern());
        outputs.put("present_value_names", names.presentValuePattern());
        return root;
    }

    static void writeJson(Path file, ObjectNode json) throws IOException {
        AtomicFiles.write(
                file, JsonFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }
}
