package dev.trimtab.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonlPromptsTest {

    @TempDir
    Path directory;

    private Path file(String content) throws IOException {
        return Files.writeString(directory.resolve("prompts.jsonl"), content);
    }

    @Test
    @DisplayName("Prompts are used in file order and cycled; blank lines are skipped; max_tokens is optional")
    void readsAndCycles() throws IOException {
        JsonlPrompts prompts = JsonlPrompts.load(file("""
                {"prompt": "first"}

                {"prompt": "second", "max_tokens": 7}
                """));
        SplittableRandom random = new SplittableRandom(1);
        assertThat(prompts.prompts()).hasSize(2);
        assertThat(prompts.prompt(0, random)).isEqualTo(Prompt.of("first"));
        assertThat(prompts.prompt(1, random)).isEqualTo(new Prompt("second", OptionalInt.of(7)));
        assertThat(prompts.prompt(2, random)).isEqualTo(Prompt.of("first"));
        assertThat(prompts.describe()).endsWith("prompts.jsonl (2 prompts)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "{\"prompt\": \"a\"; line 2: not valid JSON",
                "[\"a\"]; line 2: expected a JSON object",
                "{\"text\": \"a\"}; line 2: field \"prompt\" must be a non-empty string, got nothing",
                "{\"prompt\": 42}; line 2: field \"prompt\" must be a non-empty string, got 42",
                "{\"prompt\": \"\"}; line 2: field \"prompt\" must be a non-empty string",
                "{\"prompt\": \"a\", \"max_tokens\": 0}; line 2: field \"max_tokens\" must be an integer in [1, 1000000], got 0",
                "{\"prompt\": \"a\", \"max_tokens\": \"8\"}; line 2: field \"max_tokens\" must be an integer"
            })
    @DisplayName("A malformed line fails with the file, the line number and the field")
    void malformedLine(String line, String message) throws IOException {
        Path file = file("{\"prompt\": \"fine\"}\n" + line + "\n");
        assertThatThrownBy(() -> JsonlPrompts.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    @DisplayName("A missing or empty file is an error naming the file")
    void missingOrEmpty() throws IOException {
        Path missing = directory.resolve("absent.jsonl");
        assertThatThrownBy(() -> JsonlPrompts.load(missing))
                .hasMessageContaining("cannot read prompts file " + missing);
        Path empty = file("\n\n");
        assertThatThrownBy(() -> JsonlPrompts.load(empty)).hasMessageContaining(empty + " holds no prompts");
    }
}
