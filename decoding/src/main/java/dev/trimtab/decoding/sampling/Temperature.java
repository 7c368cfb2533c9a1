package dev.trimtab.decoding.sampling;

/**
 * Temperature scaling {@code l' = l / T}: T below 1 sharpens the softmax, above 1 flattens it.
 * Greedy decoding (T = 0) takes the argmax instead and never builds this processor.
 */
public final class Temperature implements LogitsProcessor {

    private final double temperature;

    /** A temperature T in (0, 100]. */
    public Temperature(double temperature) {
        if (!(temperature > 0 && temperature <= SamplingParams.MAX_TEMPERATURE)) {
            throw new IllegalArgumentException(
                    "temperature must be in (0, 100] (0 is greedy and needs no processor), got " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (logits[i] / temperature);
        }
    }

    @Override
    public String toString() {
        return "Temperature[" + temperature + "]";
    }
}
