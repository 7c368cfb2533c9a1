package dev.trimtab.rewards.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.trimtab.decoding.engine.DecoderModel;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.strategy.SequenceRewardModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** The output's labels and which one is the reward ({@link RewardLabels#SINGLE} for score-head decoders). */
    RewardLabels labels();

    /**
     * Every label's logit per sequence, {@code [sequences][labels().count()]}; {@link #score} is the
     * reward label's column. Checks the sequences as {@link #score} does.
     */
    float[][] logits(List<long[]> sequences) throws OrtException;

    @Override
    void close() throws OrtException;

    /** {@link #load(Path, SessionSettings, Optional)} with the reward at label index 0. */
    static RewardModel load(Path directory, SessionSettings settings) throws OrtException {
        return load(directory, settings, Optional.empty());
    }

    /**
     * Loads {@code directory}: Optimum's sequence-classification layout ({@code model.onnx} with
     * inputs {@code input_ids} and {@code attention_mask}, and {@code token_type_ids} for encoders)
     * or a score-head decoder with past.
     *
     * @param label the label whose logit is the reward: an index or a name of {@code config.json}'s
     *     {@code id2label}; empty for index 0
     * @throws IllegalArgumentException naming the file and the rule when it holds a language model
     *     (logits wider than 1), files that break the decoder contract, an output that is not
     *     {@code [batch, num_labels]}, or a label out of range
     */
    static RewardModel load(Path directory, SessionSettings settings, Optional<String> label) throws OrtException {
        Path graph = directory.resolve(OnnxSequenceRewardModel.GRAPH_FILE);
        if (Files.isRegularFile(graph)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session;
            try (OrtSession.SessionOptions options = settings.toOptions()) {
                session = env.createSession(graph.toString(), options);
            }
            if (OnnxSequenceRewardModel.accepts(session.getInputNames())) {
                return OnnxSequenceRewardModel.open(directory, env, session, label);
            }
            session.close();
        }
        if (label.isPresent() && !label.get().equals("0")) {
            throw new IllegalArgumentException("reward label " + label.get() + " is out of range: " + directory
                    + " is a score-head decoder, whose one output (label 0) is the reward");
        }
        return ScoreHeadRewardModel.load(directory, settings);
    }
}
