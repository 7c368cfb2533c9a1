package dev.trimtab.training.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.training.model.DecoderParameters;
import dev.trimtab.training.model.DjlDecoder;
import dev.trimtab.training.model.StepScope;
import dev.trimtab.training.objective.Objective;
import dev.trimtab.training.objective.StepLoss;
import dev.trimtab.training.optim.AdamW;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains one model: draws each step's batch ({@link BatchSampler}), runs the objective's forward
 * and backward pass in a per-step scope, steps AdamW, and on schedule logs metrics, evaluates on
 * held-out data and saves a checkpoint. The finished run writes {@code weights.bin} and a plot.
 *
 * <p>A run started with {@code resume} continues from {@code checkpoint.bin} when there is one: the
 * weights, the optimizer moments and the step are restored and the batch order depends only on
 * the step, so a run killed and resumed ends with the weights of an uninterrupted run: bit for bit
 * with one libtorch thread ({@code -Dai.djl.pytorch.num_threads=1}). With several threads some of
 * libtorch's CPU kernels do not add in the same order every run, and training (Adam's normalized
 * steps in particular) amplifies those last-bit differences: two uninterrupted runs then differ as
 * much as a resumed and an uninterrupted one.
 *
 * @param <E> the objective's example type
 */
public final class Trainer<E> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final RunSettings settings;
    private final Objective<E> objective;
    private final List<E> train;
    private final List<E> heldOut;
    private final RunFiles files;
    private final String fingerprint;

    /**
     * @param fingerprint identifies the run's settings and data; a checkpoint with another one is
     *     refused on resume
     */
    public Trainer(
            String name,
            RunSettings settings,
            Objective<E> objective,
            List<E> train,
            List<E> heldOut,
            RunFiles files,
            String fingerprint) {
        this.name = name;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.train = List.copyOf(train);
        this.heldOut = List.copyOf(heldOut);
        this.files = files;
        this.fingerprint = fingerprint;
        if (this.train.isEmpty()) {
            throw new IllegalArgumentException(name + ": no training examples");
        }
    }

    /** Called after every step; a test uses it to interrupt a run. */
    @FunctionalInterface
    public interface StepListener {
        StepListener NONE = step -> {};

        void afterStep(int completedSteps);
    }

    /**
     * What a finished run produced.
     *
     * @param weights the final weights
     * @param heldOut the held-out metrics at the last step (empty without held-out data)
     * @param tokens tokens trained on by this process (a resumed run counts from its checkpoint)
     * @param seconds wall time of this process's steps
     */
    public record Result(DecoderWeights weights, Map<String, Double> heldOut, long tokens, double seconds) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /** Trains from {@code initial} (or from the checkpoint when resuming) and returns the result. */
    public Result run(
            NDManager manager,
            DecoderSpec spec,
            DecoderWeights initial,
            boolean resume,
            ProgressBar.Mode progress,
            PrintStream out,
            StepListener listener)
            throws IOException {
        Checkpoint start = resume ? Checkpoint.load(files.checkpoint(), fingerprint, name) : null;
        int first = start == null ? 0 : start.step();
        try (DecoderParameters parameters =
                        DecoderParameters.of(manager, spec, start == null ? initial : start.weights());
                AdamW optimizer = new AdamW(parameters.trainable(), settings.optimizer(), manager);
                MetricsLog log = MetricsLog.open(files.metrics(), start == null ? -1 : first)) {
            if (start != null) {
                optimizer.restore(start.optimizerState(), start.step());
            }
            DjlDecoder model = new DjlDecoder(parameters);
            ProgressBar bar = new ProgressBar(name, settings.steps(), first, out, progress);
            Loop loop = new Loop(model, optimizer, log, bar, manager, listener);
            loop.run(first);
            if (loop.lastHeldOut.isEmpty() && !heldOut.isEmpty()) {
                // Resumed from the final checkpoint: no step ran here, evaluate the restored weights.
                loop.lastHeldOut = Evaluator.evaluate(objective, model, manager, heldOut, settings.batchSize());
            }
            DecoderWeights weights = parameters.toWeights();
            new TensorFile(metadata(settings.steps()), Checkpoint.prefixed(weights)).write(files.weights());
            MetricsPlot.write(name, log.records(), files.plot());
            bar.finish(summary(loop));
            return new Result(weights, loop.lastHeldOut, loop.tokens, loop.seconds());
        }
    }

    private String summary(Loop loop) {
        StringBuilder text = new StringBuilder(String.format(
                java.util.Locale.ROOT,
                "%d steps, %.0f tokens/s",
                settings.steps(),
                loop.tokens / Math.max(loop.seconds(), 1e-9)));
        loop.lastHeldOut.forEach((metric, value) ->
                text.append(String.format(java.util.Locale.ROOT, ", held-out %s %.4f", metric, value)));
        return text.toString();
    }

    private String metadata(int step) {
        ObjectNode node = JSON.createObjectNode();
        node.put("run", name);
        node.put("step", step);
        node.put("fingerprint", fingerprint);
        return node.toString();
    }

    /** The step loop of one process. */
    private final class Loop {
        private final DjlDecoder model;
        private final AdamW optimizer;
        private final MetricsLog log;
        private final ProgressBar bar;
        private final NDManager manager;
        private final StepListener listener;
        private final BatchSampler sampler;
        private final long startNanos = System.nanoTime();
        private Map<String, Double> lastHeldOut = Map.of();
        private long tokens;
        private double smoothedLoss = Double.NaN;

        Loop(
                DjlDecoder model,
                AdamW optimizer,
                MetricsLog log,
                ProgressBar bar,
                NDManager manager,
                StepListener listener) {
            this.model = model;
            this.optimizer = optimizer;
            this.log = log;
            this.bar = bar;
            this.manager = manager;
            this.listener = listener;
            this.sampler = new BatchSampler(train.size(), settings.batchSize(), settings.seed());
        }

        void run(int first) throws IOException {
            for (int step = first; step < settings.steps(); step++) {
                Map<String, Double> metrics = trainStep(step);
                int done = step + 1;
                boolean last = done == settings.steps();
                if (done % settings.logEvery() == 0 || last) {
                    log.log(record("train", done, metrics));
                }
                if (!heldOut.isEmpty() && (done % settings.evalEvery() == 0 || last)) {
                    lastHeldOut = Evaluator.evaluate(objective, model, manager, heldOut, settings.batchSize());
                    log.log(record("heldout", done, lastHeldOut));
                }
                if (done % settings.checkpointEvery() == 0 || last) {
                    saveCheckpoint(done);
                }
                bar.update(done, smoothedLoss, tokens / seconds());
                listener.afterStep(done);
            }
        }

        private Map<String, Double> trainStep(int step) {
            double rate = settings.schedule().at(step);
            try (StepScope scope = StepScope.open(manager)) {
                StepLoss loss;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    loss = objective.loss(model, scope, batch(step));
                    collector.backward(loss.value());
                }
                float norm = optimizer.step(rate);
                Map<String, Double> metrics = loss.read();
                double value = metrics.get("loss");
                if (!Double.isFinite(value)) {
                    throw new IllegalStateException(name + ": the loss is " + value + " at step " + (step + 1)
                            + " (learning rate " + rate + "); lower learning_rate or raise warmup_steps");
                }
                smoothedLoss = Double.isNaN(smoothedLoss) ? value : 0.9 * smoothedLoss + 0.1 * value;
                metrics.put("learning_rate", rate);
                metrics.put("grad_norm", (double) norm);
                tokens += loss.tokens();
                metrics.put("tokens_per_s", tokens / seconds());
                return metrics;
            }
        }

        private List<E> batch(int step) {
            List<E> batch = new ArrayList<>();
            sampler.batch(step).forEach(index -> batch.add(train.get(index)));
            return batch;
        }

        private void saveCheckpoint(int done) throws IOException {
            Map<String, dev.trimtab.decoding.onnx.FloatTensor> tensors =
                    new LinkedHashMap<>(Checkpoint.prefixed(model.parameters().toWeights()));
            tensors.putAll(optimizer.state());
            new TensorFile(metadata(done), tensors).write(files.checkpoint());
        }

        double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        private Map<String, Object> record(String split, int step, Map<String, Double> metrics) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("split", split);
            record.put("step", step);
            record.putAll(metrics);
            return record;
        }
    }
}
