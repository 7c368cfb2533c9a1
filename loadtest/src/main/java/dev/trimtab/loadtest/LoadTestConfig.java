package dev.trimtab.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.loadtest.workload.LengthDistribution;
import dev.trimtab.loadtest.workload.PromptSource;
import dev.trimtab.loadtest.workload.StrategyMix;
import dev.trimtab.loadtest.workload.Workload;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything a load test needs. Build one with {@link #builder(URI, String)}; every field has a documented default.
 *
 * @param target the server under test
 * @param workload what each request asks for
 * @param loads the load levels, run in order; more than one is a sweep that stops at the first level breaking the SLO.
 *     All closed or all open, strictly increasing.
 * @param length how long each level runs
 * @param maxInFlight the cap on requests sent and not yet ended; beyond it scheduled requests wait in the client
 *     (their wait counts in their latency); 0 for the default: the concurrency in a closed loop, {@value
 *     #DEFAULT_OPEN_LOOP_MAX_IN_FLIGHT} in an open loop
 * @param slo the service-level objective for goodput and sweeps
 * @param seed seeds the workload and the arrivals, so that a run can be replayed
 * @param keepRequests whether to keep every request's timeline in the report (memory grows with the run)
 */
public record LoadTestConfig(
        Target target,
        Workload workload,
        List<Load> loads,
        RunLength length,
        int maxInFlight,
        Slo slo,
        long seed,
        boolean keepRequests) {

    /** Open-loop default cap on requests in flight: far above what one server batch holds. */
    public static final int DEFAULT_OPEN_LOOP_MAX_IN_FLIGHT = 1024;

    public LoadTestConfig {
        loads = List.copyOf(loads);
        List<String> errors = validate(loads, maxInFlight);
        if (target == null || workload == null || length == null || slo == null) {
            errors.add("target, workload, length and slo must be non-null");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }

    private static List<String> validate(List<Load> loads, int maxInFlight) {
        List<String> errors = new ArrayList<>();
        if (loads.isEmpty()) {
            errors.add("loads must hold at least one load level, got none");
        } else if (loads.stream().map(Load::getClass).distinct().count() > 1) {
            errors.add("loads must be all closed-loop or all open-loop, got " + labels(loads));
        } else {
            for (int i = 1; i < loads.size(); i++) {
                if (loads.get(i).offered() <= loads.get(i - 1).offered()) {
                    errors.add("a sweep's loads must be strictly increasing, got " + labels(loads));
                    break;
                }
            }
        }
        if (maxInFlight < 0 || maxInFlight > 100_000) {
            errors.add("maxInFlight must be in [0, 100000] (0 for the default), got " + maxInFlight);
        }
        return errors;
    }

    private static String labels(List<Load> loads) {
        return loads.stream().map(Load::label).toList().toString();
    }

    /** The cap on requests in flight at this load level, defaults resolved. */
    public int maxInFlight(Load load) {
        if (maxInFlight > 0) {
            return maxInFlight;
        }
        return load instanceof Load.Closed closed ? closed.concurrency() : DEFAULT_OPEN_LOOP_MAX_IN_FLIGHT;
    }

    public static Builder builder(URI url, String model) {
        return new Builder(url, model);
    }

    /** Collects settings and reports every invalid one at once in {@link #build()}. */
    public static final class Builder {
        private final URI url;
        private final String model;
        private String endpoint = Target.DEFAULT_ENDPOINT;
        private String apiKey = "";
        private Duration timeout = Target.DEFAULT_TIMEOUT;
        private Workload workload = Workload.defaults();
        private Supplier<List<Load>> loads = () -> List.of(new Load.Closed(1));
        private Duration warmup = Duration.ZERO;
        private long warmupRequests;
        /** Default: a one-minute measured phase, when neither a duration nor a request count is given. */
        private Duration duration = Duration.ZERO;

        private long requests;
        private int maxInFlight;
        private Slo slo = Slo.none();
        private long seed = 1;
        private boolean keepRequests;

        private Builder(URI url, String model) {
            this.url = url;
            this.model = model;
        }

        public Builder endpoint(String value) {
            endpoint = value;
            return this;
        }

        public Builder apiKey(String value) {
            apiKey = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder workload(Workload value) {
            workload = value;
            return this;
        }

        public Builder prompts(PromptSource value) {
            workload = workload.withPrompts(value);
            return this;
        }

        public Builder maxTokens(LengthDistribution value) {
            workload = workload.withMaxTokens(value);
            return this;
        }

        public Builder mix(StrategyMix value) {
            workload = workload.withMix(value);
            return this;
        }

        public Builder extraBody(ObjectNode value) {
            workload = workload.withExtraBody(value);
            return this;
        }

        public Builder loads(List<Load> value) {
            loads = () -> value;
            return this;
        }

        /** Closed loop; several concurrencies make a sweep. */
        public Builder closedLoop(int... concurrencies) {
            loads = () -> Arrays.stream(concurrencies)
                    .<Load>mapToObj(Load.Closed::new)
                    .toList();
            return this;
        }

        /** Open loop; several rates make a sweep. */
        public Builder openLoop(Arrivals arrivals, double... rates) {
            loads = () -> Arrays.stream(rates)
                    .<Load>mapToObj(rate -> new Load.Open(rate, arrivals))
                    .toList();
            return this;
        }

        public Builder warmup(Duration value) {
            warmup = value;
            return this;
        }

        public Builder warmupRequests(long value) {
            warmupRequests = value;
            return this;
        }

        public Builder duration(Duration value) {
            duration = value;
            return this;
        }

        public Builder requests(long value) {
            requests = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder slo(Slo value) {
            slo = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder keepRequests(boolean value) {
            keepRequests = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException naming every invalid setting
         */
        public LoadTestConfig build() {
            List<String> errors = new ArrayList<>();
            Target target = attempt(errors, () -> new Target(url, endpoint, model, apiKey, timeout));
            List<Load> levels = attempt(errors, loads);
            Duration measured = duration.isZero() && requests == 0 ? Duration.ofMinutes(1) : duration;
            RunLength length = attempt(errors, () -> new RunLength(warmup, warmupRequests, measured, requests));
            if (levels != null) {
                errors.addAll(validate(List.copyOf(levels), maxInFlight));
            }
            if (workload == null || slo == null) {
                errors.add("workload and slo must be non-null");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", errors));
            }
            return new LoadTestConfig(target, workload, levels, length, maxInFlight, slo, seed, keepRequests);
        }

        private static <T> T attempt(List<String> errors, Supplier<T> factory) {
            try {
                return factory.get();
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
                return null;
            }
        }
    }
}
