package dev.trimtab.decoding.engine;

import dev.trimtab.decoding.onnx.ExportOptions;

/** Every {@link DecoderBatchTest} on graphs that concatenate their caches, as Optimum's exports do. */
class ConcatenatingCacheDecoderBatchTest extends DecoderBatchTest {
    @Override
    ExportOptions options() {
        return ExportOptions.DEFAULT.withSharedCache(false);
    }
}
