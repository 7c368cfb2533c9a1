/**
 * Turns one row's logits into one token, the way Hugging Face's {@code generate} does.
 *
 * <p>Per decoding step and per row: a {@link dev.trimtab.decoding.sampling.LogitsProcessorChain}
 * rewrites the logits in place (repetition penalty, temperature, top-k, top-p, min-p, plus whatever a
 * strategy prepends or appends), then {@link dev.trimtab.decoding.sampling.TokenSampler} takes the
 * argmax or draws from the softmax with its seeded {@link java.util.SplittableRandom}. {@link
 * dev.trimtab.decoding.sampling.StopSequences} decides where the decoded text ends and how much of
 * it a streaming server must hold back.
 *
 * <p>Everything here is owned by one row: processors and samplers keep scratch buffers sized to the
 * vocabulary and reuse them across steps, so they are not thread-safe and must not be shared
 * between rows.
 */
package dev.trimtab.decoding.sampling;
