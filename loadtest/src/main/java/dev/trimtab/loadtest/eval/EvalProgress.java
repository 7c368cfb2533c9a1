package dev.trimtab.loadtest.eval;

/** Told after every request of a sweep. */
@FunctionalInterface
public interface EvalProgress {
    /**
     * @param done requests answered so far
     * @param total requests of the whole sweep
     * @param point the label of the point just answered
     * @param elapsedSeconds since the sweep started
     */
    void onRequest(int done, int total, String point, double elapsedSeconds);
}
