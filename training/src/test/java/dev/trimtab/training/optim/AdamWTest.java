package dev.trimtab.training.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.training.model.DecoderInit;
import dev.trimtab.training.model.DecoderParameters;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdamWTest {
    private static final DecoderSpec SPEC = DecoderSpec.gpt2(0, 4, 1, 3, 2);

    @Test
    @DisplayName("a step moves each weight by lr * mhat / (sqrt(vhat) + eps) and decays matrices only")
    void stepMatchesTheFormula() {
        DecoderWeights initial = DecoderInit.random(SPEC, 1);
        try (NDManager manager = NDManager.newBaseManager();
                DecoderParameters parameters =
                        DecoderParameters.of(manager, SPEC, initial).trainable();
                AdamW adam = new AdamW(parameters, new AdamW.Settings(0.9, 0.99, 1e-8, 0.1, 0), manager)) {
            NDArray embed = parameters.get("embed.weight");
            NDArray bias = parameters.get("final_norm.bias");
            float[] before = embed.toFloatArray();
            float[] biasBefore = bias.toFloatArray();
            backward(parameters, manager);
            float[] gradient = embed.getGradient().toFloatArray();
            float biasGradient = bias.getGradient().toFloatArray()[0];
            adam.step(0.01);
            float[] after = embed.toFloatArray();
            for (int i = 0; i < before.length; i++) {
                // Step 1: mhat = g, vhat = g^2, so the move is lr * g / (|g| + eps), plus decay lr * wd * p.
                double expected = before[i] * (1 - 0.01 * 0.1) - 0.01 * gradient[i] / (Math.abs(gradient[i]) + 1e-8);
                assertThat((double) after[i]).isCloseTo(expected, within(1e-6));
            }
            float[] biasAfter = bias.toFloatArray();
            assertThat(biasAfter[0]).isCloseTo(biasBefore[0] - 0.01f * Math.signum(biasGradient), within(1e-6f));
            assertThat(embed.getGradient().abs().sum().getFloat()).isZero();
            assertThat(adam.steps()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("gradients above the clip norm are scaled down to it before the update")
    void clipsTheGlobalNorm() {
        try (NDManager manager = NDManager.newBaseManager();
                DecoderParameters parameters = DecoderParameters.of(manager, SPEC, DecoderInit.random(SPEC, 2))
                        .trainable();
                AdamW adam = new AdamW(parameters, new AdamW.Settings(0.9, 0.99, 1e-8, 0, 1e-3), manager)) {
            backward(parameters, manager);
            float norm = adam.step(0.01);
            assertThat(norm).isGreaterThan(1e-3f);
            float[] first = adam.state().get("m/embed.weight").data();
            double squares = 0;
            for (var tensor : adam.state().entrySet()) {
                if (tensor.getKey().startsWith("m/")) {
                    for (float m : tensor.getValue().data()) {
                        squares += m * m;
                    }
                }
            }
            // m = (1 - b1) * clipped gradient, and the clipped gradients have norm 1e-3.
            assertThat(Math.sqrt(squares)).isCloseTo(0.1 * 1e-3, within(1e-7));
            assertThat(first).isNotEmpty();
        }
    }

    /** Backward pass of sum(logits * fixed weights) of a two-token input. */
    private static void backward(DecoderParameters parameters, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            var model = new dev.trimtab.training.model.DjlDecoder(parameters);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray ids = step.create(new long[] {0, 2}, new ai.djl.ndarray.types.Shape(1, 2));
                NDArray mask = step.ones(new ai.djl.ndarray.types.Shape(1, 2), ai.djl.ndarray.types.DataType.INT64);
                NDArray logits = model.logits(model.hidden(step, ids, mask));
                NDArray weights = step.arange(6f).reshape(1, 2, 3);
                collector.backward(logits.mul(weights).sum());
            }
        }
    }
}
