package dev.trimtab.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.trimtab.decoding.onnx.FloatTensor;
import dev.trimtab.training.model.DecoderParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * AdamW with global gradient-norm clipping. One step, for each parameter {@code p} with gradient
 * {@code g} (Loshchilov and Hutter 2019, Algorithm 2, with decoupled weight decay):
 *
 * <pre>
 * g  &lt;- g * min(1, clip / ||g_all||_2)                    (Pascanu et al. 2013, Alg. 1)
 * m  &lt;- b1 m + (1 - b1) g         v &lt;- b2 v + (1 - b2) g^2
 * p  &lt;- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) - lr * wd * p
 * </pre>
 *
 * Weight decay applies to matrices only (embeddings and linear weights), not to biases or norm
 * gains. Gradients are zeroed after the step. The moments and the step count are the state that a
 * checkpoint saves ({@link #state()}, {@link #restore}).
 */
public final class AdamW implements AutoCloseable {
    private final Settings settings;
    private final DecoderParameters parameters;
    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long steps;

    /**
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param epsilon added to the root of the second moment, > 0
     * @param weightDecay decoupled decay per unit learning rate, >= 0
     * @param clipNorm largest global gradient norm; 0 disables clipping
     */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay, double clipNorm) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0) || !(weightDecay >= 0) || !(clipNorm >= 0)) {
                throw new IllegalArgumentException("AdamW needs epsilon > 0, weightDecay >= 0, clipNorm >= 0, got "
                        + epsilon + ", " + weightDecay + ", " + clipNorm);
            }
        }
    }

    public AdamW(DecoderParameters parameters, Settings settings, NDManager parent) {
        this.settings = settings;
        this.parameters = parameters;
        this.manager = parent.newSubManager();
        parameters.asMap().forEach((name, p) -> {
            first.put(name, manager.zeros(p.getShape()));
            second.put(name, manager.zeros(p.getShape()));
        });
    }

    /**
     * Clips the gradients, updates every parameter at {@code learningRate} and zeroes the
     * gradients.
     *
     * @return the global gradient norm before clipping
     */
    public float step(double learningRate) {
        steps++;
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            parameters.asMap().forEach((name, p) -> gradients.put(name, local(scratch, p.getGradient())));
            float norm = globalNorm(gradients);
            float scale = settings.clipNorm() > 0 && norm > settings.clipNorm()
                    ? (float) (settings.clipNorm() / (norm + 1e-6))
                    : 1f;
            parameters.asMap().forEach((name, p) -> update(scratch, name, p, gradients.get(name), scale, learningRate));
            gradients.values().forEach(g -> g.muli(0));
            return norm;
        }
    }

    private void update(NDManager scratch, String name, NDArray p, NDArray g, float scale, double lr) {
        float b1 = (float) settings.beta1();
        float b2 = (float) settings.beta2();
        NDArray clipped = g.mul(scale);
        NDArray m = first.get(name).muli(b1).addi(clipped.mul(1 - b1));
        NDArray v = second.get(name).muli(b2).addi(clipped.square().muli(1 - b2));
        double correction1 = 1 - Math.pow(b1, steps);
        double correction2 = 1 - Math.pow(b2, steps);
        NDArray denominator = local(scratch, v.div((float) correction2)).sqrt().addi((float) settings.epsilon());
        NDArray direction = local(scratch, m.div((float) correction1)).divi(denominator);
        if (p.getShape().dimension() >= 2 && settings.weightDecay() > 0) {
            p.muli((float) (1 - lr * settings.weightDecay()));
        }
        p.subi(direction.muli((float) lr));
    }

    private static float globalNorm(Map<String, NDArray> gradients) {
        double sum = 0;
        for (NDArray g : gradients.values()) {
            sum += g.square().sum().getFloat();
        }
        return (float) Math.sqrt(sum);
    }

    private static NDArray local(NDManager scratch, NDArray array) {
        array.attach(scratch);
        return array;
    }

    /** Steps taken so far (the {@code t} of the bias corrections). */
    public long steps() {
        return steps;
    }

    /** The moments, as {@code m/NAME} and {@code v/NAME} tensors. */
    public Map<String, FloatTensor> state() {
        Map<String, FloatTensor> state = new LinkedHashMap<>();
        first.forEach((name, m) -> state.put("m/" + name, tensor(m)));
        second.forEach((name, v) -> state.put("v/" + name, tensor(v)));
        return state;
    }

    /** Restores the moments saved by {@link #state()} and the step count. */
    public void restore(Map<String, FloatTensor> state, long stepCount) {
        first.forEach((name, m) -> m.set(required(state, "m/" + name).data()));
        second.forEach((name, v) -> v.set(required(state, "v/" + name).data()));
        this.steps = stepCount;
    }

    private static FloatTensor required(Map<String, FloatTensor> state, String name) {
        FloatTensor tensor = state.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("the checkpoint has no optimizer state " + name);
        }
        return tensor;
    }

    private static FloatTensor tensor(NDArray array) {
        long[] dims = array.getShape().getShape();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        return new FloatTensor(shape, array.toFloatArray());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
        }
    }
}
