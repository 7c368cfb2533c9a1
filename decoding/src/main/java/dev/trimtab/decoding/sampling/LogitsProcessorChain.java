package dev.trimtab.decoding.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered, immutable list of processors applied one after the other; itself a processor.
 *
 * <p>{@link #prepend} and {@link #append} return new chains that share the processors, so a chain
 * and the chains derived from it belong to the same row.
 */
public final class LogitsProcessorChain implements LogitsProcessor {

    private static final LogitsProcessorChain EMPTY = new LogitsProcessorChain(new LogitsProcessor[0]);

    private final LogitsProcessor[] processors;

    private LogitsProcessorChain(LogitsProcessor[] processors) {
        this.processors = processors;
    }

    /** The chain that changes nothing. */
    public static LogitsProcessorChain empty() {
        return EMPTY;
    }

    /** A chain of {@code processors}, applied in the order given. */
    public static LogitsProcessorChain of(LogitsProcessor... processors) {
        LogitsProcessor[] copy = processors.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new IllegalArgumentException("processors[" + i + "] must not be null");
            }
        }
        return new LogitsProcessorChain(copy);
    }

    /**
     * Hugging Face's order: repetition penalty, temperature, top-k, top-p, min-p, leaving out the
     * disabled ones. Under greedy decoding (temperature 0) only the repetition penalty is kept: the
     * warpers all keep the argmax (ties to the lowest id), so they could not change the token.
     */
    public static LogitsProcessorChain forParams(SamplingParams params) {
        List<LogitsProcessor> chain = new ArrayList<>(5);
        if (params.repetitionPenalty() != 1.0) {
            chain.add(new RepetitionPenalty(params.repetitionPenalty()));
        }
        if (!params.greedy()) {
            addWarpers(chain, params);
        }
        return of(chain.toArray(LogitsProcessor[]::new));
    }

    private static void addWarpers(List<LogitsProcessor> chain, SamplingParams params) {
        if (params.temperature() != 1.0) {
            chain.add(new Temperature(params.temperature()));
        }
        if (params.topK() > 0) {
            chain.add(new TopK(params.topK()));
        }
        if (params.topP() < 1.0) {
            chain.add(new TopP(params.topP()));
        }
        if (params.minP() > 0.0) {
            chain.add(new MinP(params.minP()));
        }
    }

    /** A new chain that runs {@code first} before this chain's processors. */
    public LogitsProcessorChain prepend(LogitsProcessor first) {
        LogitsProcessor[] longer = new LogitsProcessor[processors.length + 1];
        longer[0] = first;
        System.arraycopy(processors, 0, longer, 1, processors.length);
        return of(longer);
    }

    /** A new chain that runs {@code last} after this chain's processors. */
    public LogitsProcessorChain append(LogitsProcessor last) {
        LogitsProcessor[] longer = Arrays.copyOf(processors, processors.length + 1);
        longer[processors.length] = last;
        return of(longer);
    }

    /** The processors in the order they run. */
    public List<LogitsProcessor> processors() {
        return List.of(processors);
    }

    @Override
    public void process(float[] logits, TokenHistory history) {
        for (LogitsProcessor processor : processors) {
            processor.process(logits, history);
        }
    }

    @Override
    public String toString() {
        return "LogitsProcessorChain" + Arrays.toString(processors);
    }
}
