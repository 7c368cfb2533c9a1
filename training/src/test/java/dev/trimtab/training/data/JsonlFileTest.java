package dev.trimtab.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.training.data.DataFormatException.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlFileTest {
    @TempDir
    Path directory;

    private Path file(String... lines) throws Exception {
        Path file = directory.resolve("data.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private DataFormatException failure(RecordFormat<?> format, String... lines) throws Exception {
        Path file = file(lines);
        try {
            JsonlFile.read(file, format, false);
        } catch (DataFormatException e) {
            return e;
        }
        throw new AssertionError("no error for " + List.of(lines));
    }

    @Test
    @DisplayName("SFT lines are text or prompt and completion; blank lines and extra fields are ignored")
    void readsSft() throws Exception {
        Path file = file("{\"text\":\"A whole document.\"}", "", "{\"prompt\":\"Q:\",\"completion\":\" A.\",\"id\":7}");
        JsonlFile.Result<Records.Sft> result = JsonlFile.read(file, Records.SFT, false);
        assertThat(result.records())
                .containsExactly(new Records.Sft("", "A whole document."), new Records.Sft("Q:", " A."));
        assertThat(result.skipped()).isZero();
    }

    @Test
    @DisplayName("a malformed line fails with file, line number, field and rule")
    void namesFileLineFieldAndRule() throws Exception {
        DataFormatException error =
                failure(Records.SFT, "{\"prompt\":\"a\",\"completion\":\"b\"}", "{\"prompt\":\"a\",\"completion\":42}");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isEqualTo("completion");
        assertThat(error.rule()).isEqualTo(Rule.NOT_A_STRING);
        assertThat(error.getMessage())
                .isEqualTo(directory.resolve("data.jsonl") + ":2: field \"completion\" must be a string, got number 42"
                        + " (rule NOT_A_STRING)");
    }

    @Test
    @DisplayName("every rule has its error")
    void rules() throws Exception {
        assertThat(failure(Records.SFT, "{not json").rule()).isEqualTo(Rule.NOT_JSON);
        assertThat(failure(Records.SFT, "[1, 2]").rule()).isEqualTo(Rule.NOT_AN_OBJECT);
        assertThat(failure(Records.SFT, "{\"prompt\":\"a\"}").rule()).isEqualTo(Rule.MISSING_FIELD);
        assertThat(failure(Records.SFT, "{\"text\":\"  \"}").rule()).isEqualTo(Rule.EMPTY_TEXT);
        assertThat(failure(Records.SFT, "{\"text\":\"a\",\"prompt\":\"b\"}").rule())
                .isEqualTo(Rule.CONFLICTING_FIELDS);
        assertThat(failure(Records.REWARD, "{\"prompt\":\"a\",\"completion\":\"b\",\"reward\":\"high\"}")
                        .rule())
                .isEqualTo(Rule.NOT_A_NUMBER);
        assertThat(failure(Records.PREFERENCE, "{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"b\"}")
                        .rule())
                .isEqualTo(Rule.IDENTICAL_COMPLETIONS);
        assertThat(failure(Records.PROMPT, "{\"prompt\":null}").rule()).isEqualTo(Rule.MISSING_FIELD);
    }

    @Test
    @DisplayName("reward values must be finite numbers")
    void finiteRewards() throws Exception {
        Path file = file("{\"prompt\":\"a\",\"completion\":\"b\",\"reward\":1e999}");
        assertThatThrownBy(() -> JsonlFile.read(file, Records.REWARD, false))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("field \"reward\" must be finite")
                .hasMessageContaining("(rule NOT_FINITE)");
    }

    @Test
    @DisplayName("with skip-bad-lines the good lines are read and the bad ones counted and reported")
    void skipsBadLines() throws Exception {
        Path file = file(
                "{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}",
                "{\"prompt\":\"a\",\"chosen\":\"b\"}",
                "garbage",
                "{\"prompt\":\"d\",\"chosen\":\"e\",\"rejected\":\"f\"}");
        JsonlFile.Result<Records.Preference> result = JsonlFile.read(file, Records.PREFERENCE, true);
        assertThat(result.records()).hasSize(2);
        assertThat(result.skipped()).isEqualTo(2);
        assertThat(result.errors()).extracting(DataFormatException::line).containsExactly(2L, 3L);
        assertThat(result.errors())
                .extracting(DataFormatException::rule)
                .containsExactly(Rule.MISSING_FIELD, Rule.NOT_JSON);
    }

    @Test
    @DisplayName("written rows read back")
    void writesRows() throws Exception {
        Path file = directory.resolve("out.jsonl");
        JsonlFile.write(file, List.of(JsonlFile.row("prompt", "p", "completion", " c", "reward", 0.5)));
        assertThat(JsonlFile.read(file, Records.REWARD, false).records())
                .containsExactly(new Records.Reward("p", " c", 0.5));
    }
}
