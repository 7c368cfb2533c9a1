package dev.trimtab.decoding.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime session settings of one model.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose
 * @param optimizationLevel graph optimizations applied at load time (default {@code ALL})
 * @param executionProvider {@code CPU} (default) or {@code CUDA}
 * @param deviceId the CUDA device, when the provider is CUDA (default 0)
 * @param spinning whether ONNX Runtime's idle threads spin waiting for the next operator (default
 *     false): spinning shaves a wake-up off each operator for one model alone, but when several
 *     models take turns (a strategy's lanes) each session's spinning threads take the cores the
 *     running one needs — DeRa ran at 0.31x plain decoding with spinning, 0.47x without
 */
public record SessionSettings(
        int intraOpThreads,
        int interOpThreads,
        OptimizationLevel optimizationLevel,
        ExecutionProvider executionProvider,
        int deviceId,
        boolean spinning) {

    /** Graph optimization levels, as ONNX Runtime names them. */
    public enum OptimizationLevel {
        DISABLED(OptLevel.NO_OPT),
        BASIC(OptLevel.BASIC_OPT),
        EXTENDED(OptLevel.EXTENDED_OPT),
        ALL(OptLevel.ALL_OPT);

        private final OptLevel ortLevel;

        OptimizationLevel(OptLevel ortLevel) {
            this.ortLevel = ortLevel;
        }
    }

    /** Where the model runs. */
    public enum ExecutionProvider {
        CPU,
        CUDA
    }

    /** CPU, every optimization, ONNX Runtime's thread counts. */
    public static final SessionSettings DEFAULT =
            new SessionSettings(0, 0, OptimizationLevel.ALL, ExecutionProvider.CPU, 0, false);

    public SessionSettings {
        List<String> errors = new ArrayList<>();
        if (intraOpThreads < 0 || intraOpThreads > 1024)
            errors.add("intraOpThreads must be in [0, 1024], got " + intraOpThreads);
        if (interOpThreads < 0 || interOpThreads > 1024)
            errors.add("interOpThreads must be in [0, 1024], got " + interOpThreads);
        if (optimizationLevel == null) errors.add("optimizationLevel must be one of DISABLED, BASIC, EXTENDED, ALL");
        if (executionProvider == null) errors.add("executionProvider must be CPU or CUDA");
        if (deviceId < 0) errors.add("deviceId must be >= 0, got " + deviceId);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid session settings: " + String.join("; ", errors));
        }
    }

    public SessionSettings withThreads(int intraOp, int interOp) {
        return new SessionSettings(intraOp, interOp, optimizationLevel, executionProvider, deviceId, spinning);
    }

    public SessionSettings withOptimizationLevel(OptimizationLevel level) {
        return new SessionSettings(intraOpThreads, interOpThreads, level, executionProvider, deviceId, spinning);
    }

    public SessionSettings withCuda(int device) {
        return new SessionSettings(
                intraOpThreads, interOpThreads, optimizationLevel, ExecutionProvider.CUDA, device, spinning);
    }

    public SessionSettings withSpinning(boolean value) {
        return new SessionSettings(
                intraOpThreads, interOpThreads, optimizationLevel, executionProvider, deviceId, value);
    }

    /** ONNX Runtime options for these settings; the caller closes them. */
    public SessionOptions toOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setOptimizationLevel(optimizationLevel.ortLevel);
            if (intraOpThreads > 0) options.setIntraOpNumThreads(intraOpThreads);
            if (interOpThreads > 0) options.setInterOpNumThreads(interOpThreads);
            if (executionProvider == ExecutionProvider.CUDA) options.addCUDA(deviceId);
            String spin = spinning ? "1" : "0";
            options.addConfigEntry("session.intra_op.allow_spinning", spin);
            options.addConfigEntry("session.inter_op.allow_spinning", spin);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
