package dev.trimtab.loadtest;

/** Number formatting shared by labels and reports. */
public final class Numbers {
    private Numbers() {}

    /** {@code 8} for 8.0, {@code 2.5} for 2.5: whole numbers without a trailing {@code .0}. */
    public static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
