package dev.trimtab.decoding.sampling;

import dev.trimtab.decoding.Violations;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.DoublePredicate;

/**
 * The sampling settings of one request, validated on construction.
 *
 * <p>The compact constructor checks every field and reports all violations at once, joined with
 * {@code "; "}, in one {@link dev.trimtab.decoding.InvalidRequestException} whose messages spell
 * the fields as the OpenAI API does ({@code top_p}, {@code max_tokens}); NaN and infinities are rejected wherever a
 * double is expected. The defaults are those of OpenAI's completions API and are declared, with
 * their meaning, as the {@code DEFAULT_*} constants below.
 *
 * @param temperature divides the logits; 0 means greedy decoding; in [0, 100]
 * @param topK keeps the k most likely tokens; 0 disables it; at least 0
 * @param topP nucleus sampling: keeps the smallest set of tokens whose probability reaches p; 1
 *     disables it; in (0, 1]
 * @param minP keeps tokens whose probability is at least minP times the top probability; 0
 *     disables it; in [0, 1]
 * @param repetitionPenalty CTRL's penalty on tokens already seen (prompt included); 1 disables it;
 *     in (0, 10]
 * @param seed seeds the row's random generator; empty picks a fresh seed from the system
 * @param maxTokens the most tokens to generate; in [1, 1_000_000]
 * @param stop sequences that end generation; at most 16, each 1 to 256 chars
 * @param ignoreEos keep generating past the end-of-sequence token, up to {@code maxTokens}
 */
public record SamplingParams(
        double temperature,
        int topK,
        double topP,
        double minP,
        double repetitionPenalty,
        OptionalLong seed,
        int maxTokens,
        List<String> stop,
        boolean ignoreEos) {

    /** Default temperature: 1, the model's own distribution. */
    public static final double DEFAULT_TEMPERATURE = 1.0;
    /** Default top-k: 0, disabled. */
    public static final int DEFAULT_TOP_K = 0;
    /** Default top-p: 1, disabled. */
    public static final double DEFAULT_TOP_P = 1.0;
    /** Default min-p: 0, disabled. */
    public static final double DEFAULT_MIN_P = 0.0;
    /** Default repetition penalty: 1, disabled. */
    public static final double DEFAULT_REPETITION_PENALTY = 1.0;
    /** Default max tokens: 16, as OpenAI's completions API. */
    public static final int DEFAULT_MAX_TOKENS = 16;

    /** Highest temperature accepted; beyond it sampling is indistinguishable from uniform noise. */
    public static final double MAX_TEMPERATURE = 100.0;
    /** Highest repetition penalty accepted. */
    public static final double MAX_REPETITION_PENALTY = 10.0;
    /** Most tokens one request may ask for. */
    public static final int MAX_MAX_TOKENS = 1_000_000;
    /** Most stop sequences one request may give, as OpenAI allows at most 4 and vLLM any number. */
    public static final int MAX_STOP_SEQUENCES = 16;
    /** Longest stop sequence accepted, in chars. */
    public static final int MAX_STOP_LENGTH = 256;

    /** Validates every field, reports all violations at once, and copies {@code stop}. */
    public SamplingParams {
        Violations errors = violations(temperature, topK, topP, minP, repetitionPenalty, maxTokens);
        checkObjects(errors, seed, stop);
        errors.throwIfAny();
        stop = List.copyOf(stop);
    }

    /** Temperature 1, top-k 0, top-p 1, min-p 0, penalty 1, no seed, 16 tokens, no stop, EOS honoured. */
    public static SamplingParams defaults() {
        return new SamplingParams(
                DEFAULT_TEMPERATURE,
                DEFAULT_TOP_K,
                DEFAULT_TOP_P,
                DEFAULT_MIN_P,
                DEFAULT_REPETITION_PENALTY,
                OptionalLong.empty(),
                DEFAULT_MAX_TOKENS,
                List.of(),
                false);
    }

    /** Whether decoding takes the argmax (temperature 0) instead of drawing. */
    public boolean greedy() {
        return temperature == 0.0;
    }

    /** A copy with {@code temperature} replaced; validated like the original. */
    public SamplingParams withTemperature(double value) {
        return new SamplingParams(value, topK, topP, minP, repetitionPenalty, seed, maxTokens, stop, ignoreEos);
    }

    /** A copy with {@code topK} replaced; validated like the original. */
    public SamplingParams withTopK(int value) {
        return new SamplingParams(temperature, value, topP, minP, repetitionPenalty, seed, maxTokens, stop, ignoreEos);
    }

    /** A copy with {@code topP} replaced; validated like the original. */
    public SamplingParams withTopP(double value) {
        return new SamplingParams(temperature, topK, value, minP, repetitionPenalty, seed, maxTokens, stop, ignoreEos);
    }

    /** A copy with {@code minP} replaced; validated like the original. */
    public SamplingParams withMinP(double value) {
        return new SamplingParams(temperature, topK, topP, value, repetitionPenalty, seed, maxTokens, stop, ignoreEos);
    }

    /** A copy with {@code repetitionPenalty} replaced; validated like the original. */
    public SamplingParams withRepetitionPenalty(double value) {
        return new SamplingParams(temperature, topK, topP, minP, value, seed, maxTokens, stop, ignoreEos);
    }

    /** A copy with {@code seed} replaced; validated like the original. */
    public SamplingParams withSeed(long value) {
        return new SamplingParams(
                temperature, topK, topP, minP, repetitionPenalty, OptionalLong.of(value), maxTokens, stop, ignoreEos);
    }

    /** A copy with {@code maxTokens} replaced; validated like the original. */
    public SamplingParams withMaxTokens(int value) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, seed, value, stop, ignoreEos);
    }

    /** A copy with {@code stop} replaced; validated like the original. */
    public SamplingParams withStop(List<String> value) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, seed, maxTokens, value, ignoreEos);
    }

    /** A copy with {@code ignoreEos} replaced; validated like the original. */
    public SamplingParams withIgnoreEos(boolean value) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, seed, maxTokens, stop, value);
    }

    private static Violations violations(
            double temperature, int topK, double topP, double minP, double penalty, int maxTokens) {
        Violations errors = new Violations();
        check(errors, "temperature", temperature, v -> v >= 0 && v <= MAX_TEMPERATURE, "in [0, 100]");
        check(errors, "top_k", topK, topK >= 0, ">= 0");
        check(errors, "top_p", topP, v -> v > 0 && v <= 1, "in (0, 1]");
        check(errors, "min_p", minP, v -> v >= 0 && v <= 1, "in [0, 1]");
        check(errors, "repetition_penalty", penalty, v -> v > 0 && v <= MAX_REPETITION_PENALTY, "in (0, 10]");
        check(errors, "max_tokens", maxTokens, maxTokens >= 1 && maxTokens <= MAX_MAX_TOKENS, "in [1, 1000000]");
        return errors;
    }

    private static void checkObjects(Violations errors, OptionalLong seed, List<String> stop) {
        if (seed == null) {
            errors.add("seed", "seed must not be null (use OptionalLong.empty() for a random seed)");
        }
        if (stop == null) {
            errors.add("stop", "stop must not be null (use List.of() for no stop sequences)");
        } else {
            checkStop(errors, stop);
        }
    }

    private static void checkStop(Violations errors, List<String> stop) {
        if (stop.size() > MAX_STOP_SEQUENCES) {
            errors.add("stop", "stop must hold at most " + MAX_STOP_SEQUENCES + " sequences, got " + stop.size());
        }
        for (int i = 0; i < stop.size(); i++) {
            checkStopSequence(errors, i, stop.get(i));
        }
    }

    private static void checkStopSequence(Violations errors, int index, String sequence) {
        String name = "stop[" + index + "]";
        if (sequence == null || sequence.isEmpty()) {
            errors.add(name, name + " must be a non-empty string, got " + (sequence == null ? "null" : "\"\""));
        } else if (sequence.length() > MAX_STOP_LENGTH) {
            errors.add(name, name + " must be at most " + MAX_STOP_LENGTH + " chars, got " + sequence.length());
        }
    }

    private static void check(Violations errors, String field, double value, DoublePredicate ok, String range) {
        if (!ok.test(value)) {
            errors.add(field, field + " must be " + range + ", got " + value);
        }
    }

    private static void check(Violations errors, String field, int value, boolean ok, String range) {
        if (!ok) {
            errors.add(field, field + " must be " + range + ", got " + value);
        }
    }
}
