package dev.trimtab.loadtest;

/** One load level: a closed loop of concurrent clients or an open loop of arrivals at a rate. */
public sealed interface Load {

    /** The offered load: the concurrency or the rate in requests per second. */
    double offered();

    /** The offered load's unit, {@code clients} or {@code req/s}. */
    String unit();

    /** A short label for tables and charts, e.g. {@code poisson 8 req/s} or {@code concurrency 4}. */
    String label();

    /**
     * {@code concurrency} clients, each sending its next request as soon as its last one finishes. A request's
     * scheduled time is the moment its client became ready, so the latency includes any wait for a connection.
     */
    record Closed(int concurrency) implements Load {
        public Closed {
            if (concurrency < 1 || concurrency > 100_000) {
                throw new IllegalArgumentException("concurrency must be in [1, 100000], got " + concurrency);
            }
        }

        @Override
        public double offered() {
            return concurrency;
        }

        @Override
        public String unit() {
            return "clients";
        }

        @Override
        public String label() {
            return "concurrency " + concurrency;
        }
    }

    /**
     * Requests scheduled by an arrival process at {@code rate} per second whether or not earlier ones have finished;
     * latency is measured from each scheduled time, so a server (or client) that falls behind shows its queueing.
     */
    record Open(double rate, Arrivals arrivals) implements Load {
        public Open {
            if (!(rate > 0) || rate > 1_000_000) {
                throw new IllegalArgumentException("rate must be in (0, 1000000] requests per second, got " + rate);
            }
            if (arrivals == null) {
                throw new IllegalArgumentException("arrivals must be poisson, constant or gamma:B, got null");
            }
        }

        @Override
        public double offered() {
            return rate;
        }

        @Override
        public String unit() {
            return "req/s";
        }

        @Override
        public String label() {
            return arrivals.spec() + " " + Numbers.trim(rate) + " req/s";
        }
    }
}
