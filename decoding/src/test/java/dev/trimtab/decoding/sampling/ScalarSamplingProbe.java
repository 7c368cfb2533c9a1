package dev.trimtab.decoding.sampling;

/**
 * Run in a JVM of its own by {@link TokenSamplerTest}: prints whether the Vector API module is
 * loaded, then the draws of a seeded sampler over a 50,257-wide vocabulary, one per line.
 */
public final class ScalarSamplingProbe {
    private ScalarSamplingProbe() {}

    public static void main(String[] args) {
        System.out.println(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        float[] logits = TokenSamplerTest.largeLogits();
        TokenSampler sampler = new TokenSampler(SamplingParams.defaults().withSeed(5));
        for (int d = 0; d < TokenSamplerTest.LARGE_DRAWS; d++) {
            System.out.println(sampler.sample(logits.clone(), new TokenHistory()));
        }
    }
}
