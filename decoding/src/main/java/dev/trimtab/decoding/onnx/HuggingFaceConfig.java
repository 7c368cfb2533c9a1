package dev.trimtab.decoding.onnx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.model.JsonFiles;

/** The {@code config.json} of a decoder, with the key names Hugging Face uses for its family. */
final class HuggingFaceConfig {
    private HuggingFaceConfig() {}

    static ObjectNode of(DecoderSpec spec, long eosTokenId) {
        ObjectNode config = spec.family() == DecoderSpec.Family.GPT2 ? gpt2(spec, eosTokenId) : llama(spec, eosTokenId);
        if (spec.head() == DecoderSpec.Head.SCORE) {
            String family = spec.family() == DecoderSpec.Family.GPT2 ? "GPT2" : "Llama";
            config.putArray("architectures").add(family + "ForSequenceClassification");
            config.put("num_labels", 1);
        }
        return config;
    }

    private static ObjectNode gpt2(DecoderSpec spec, long eosTokenId) {
        ObjectNode config = JsonFiles.mapper().createObjectNode();
        config.put("model_type", "gpt2");
        config.putArray("architectures").add("GPT2LMHeadModel");
        config.put("n_layer", spec.layers());
        config.put("n_head", spec.heads());
        config.put("n_embd", spec.hidden());
        config.put("n_inner", spec.intermediate());
        config.put("n_positions", spec.maxPositions());
        config.put("n_ctx", spec.maxPositions());
        config.put("vocab_size", spec.vocab());
        config.put("layer_norm_epsilon", spec.normEpsilon());
        config.put("activation_function", "gelu");
        config.put("tie_word_embeddings", true);
        config.put("bos_token_id", eosTokenId);
        config.put("eos_token_id", eosTokenId);
        return config;
    }

    private static ObjectNode llama(DecoderSpec spec, long eosTokenId) {
        ObjectNode config = JsonFiles.mapper().createObjectNode();
        config.put("model_type", "llama");
        config.putArray("architectures").add("LlamaForCausalLM");
        config.put("num_hidden_layers", spec.layers());
        config.put("num_attention_heads", spec.heads());
        config.put("num_key_value_heads", spec.kvHeads());
        config.put("hidden_size", spec.hidden());
        config.put("head_dim", spec.headDim());
        config.put("intermediate_size", spec.intermediate());
        config.put("max_position_embeddings", spec.maxPositions());
        config.put("vocab_size", spec.vocab());
        config.put("rms_norm_eps", spec.normEpsilon());
        config.put("rope_theta", spec.ropeTheta());
        config.put("hidden_act", "silu");
        config.put("tie_word_embeddings", spec.tiedHead());
        config.put("bos_token_id", eosTokenId);
        config.put("eos_token_id", eosTokenId);
        return config;
    }
}
