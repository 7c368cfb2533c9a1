package dev.trimtab.rewards.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A reward model loaded from a model directory: one score per whole sequence for best-of-N and, when
 * the model is a score-head decoder, the {@link DecoderModel} that ARGS and controlled decoding step
 * with its KV cache. Closing frees the native session; safe to call twice.
 */
public sealed interface RewardModel extends SequenceRewardModel, AutoCloseable
        permits OnnxSequenceRewardModel, ScoreHeadRewardModel {

    /** The model directory. */
    Path directory();

    /** The decoder-with-past, for score-head decoders; empty for the sequence-classification layout. */
    Optional<DecoderModel> decoder();

    @Override
    void close() throws OrtException;

    /**
     * Loads {@code directory}: Optimum's sequence-classification layout ({@code model.onnx} with
     * inputs {@code input_ids} and {@code attention_mask} only) or a score-head decoder with past.
     *
     * @throws IllegalArgumentException naming the directory when it holds a language model (logits
     *     wider than 1) or files that break the decoder contract
     */
    static RewardModel load(Path directory, SessionSettings settings) throws OrtException {
        Path graph = directory.resolve(OnnxSequenceRewardModel.GRAPH_FILE);
        if (Files.isRegularFile(graph)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session;
            try (OrtSession.SessionOptions options = settings.toOptions()) {
                session = env.createSession(graph.toString(), options);
            }
            if (session.getInputNames().equals(Set.of("input_ids", "attention_mask"))) {
                return OnnxSequenceRewardModel.open(directory, env, session);
            }
            session.close();
        }
        return ScoreHeadRewardModel.load(directory, settings);
    }
}
