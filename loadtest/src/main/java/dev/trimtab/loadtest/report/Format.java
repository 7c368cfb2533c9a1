package dev.trimtab.loadtest.report;

import java.util.Locale;

/** Number formats of the tables: compact, fixed decimals, a hyphen for a figure without samples. */
final class Format {

    private Format() {}

    /** Milliseconds: two decimals below 10, one below 1000, none above. */
    static String ms(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        String pattern = value < 10 ? "%.2f" : value < 1000 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A rate: one decimal, none above 1000. */
    static String rate(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value < 1000 ? "%.1f" : "%.0f", value);
    }

    /** A fraction as a percentage with one decimal. */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** A table cell: pipes escaped, newlines flattened. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }
}
