package dev.trimtab.loadtest;

/**
 * Requests that met the SLO.
 *
 * @param goodRequests successful requests within every threshold
 * @param attainment good requests over all measured requests, failures included; NaN when there were none
 * @param requestsPerSecond good requests per second of the measured phase
 */
public record Goodput(long goodRequests, double attainment, double requestsPerSecond) {}
