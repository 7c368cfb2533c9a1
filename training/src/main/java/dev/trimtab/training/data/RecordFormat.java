package dev.trimtab.training.data;

/**
 * How one kind of JSONL record is read (Hugging Face dataset conventions).
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RecordFormat<T> {
    /** Reads one line's object; fails naming the field and rule it breaks. */
    T parse(Fields fields) throws DataFormatException;
}
