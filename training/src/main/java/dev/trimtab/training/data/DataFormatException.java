package dev.trimtab.training.data;

import java.nio.file.Path;

/**
 * A line of a JSONL data file that breaks a rule of its format. The message names the file, the
 * line (1-based), the field and the rule: {@code data/sft.jsonl:17: field "completion" must be a
 * string (rule NOT_A_STRING), got 42}.
 */
public final class DataFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What a line got wrong. */
    public enum Rule {
        /** The line is not valid JSON. */
        NOT_JSON,
        /** The line is JSON but not an object. */
        NOT_AN_OBJECT,
        /** A required field is absent or null. */
        MISSING_FIELD,
        /** A text field holds something other than a string. */
        NOT_A_STRING,
        /** A text field that must say something is empty or blank. */
        EMPTY_TEXT,
        /** A numeric field holds something other than a number. */
        NOT_A_NUMBER,
        /** A numeric field is NaN or infinite. */
        NOT_FINITE,
        /** Fields that exclude each other are both present (e.g. {@code text} and {@code prompt}). */
        CONFLICTING_FIELDS,
        /** A preference whose chosen and rejected completions are the same text. */
        IDENTICAL_COMPLETIONS
    }

    private final Path file;
    private final long line;
    private final String field;
    private final Rule rule;

    public DataFormatException(Path file, long line, String field, Rule rule, String detail) {
        super(file + ":" + line + ": " + (field == null ? "the line" : "field \"" + field + "\"") + " " + detail
                + " (rule " + rule + ")");
        this.file = file;
        this.line = line;
        this.field = field;
        this.rule = rule;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line number. */
    public long line() {
        return line;
    }

    /** The offending field, or {@code null} when the whole line is at fault. */
    public String field() {
        return field;
    }

    public Rule rule() {
        return rule;
    }
}
