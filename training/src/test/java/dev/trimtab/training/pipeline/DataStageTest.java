package dev.trimtab.training.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trimtab.training.data.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataStageTest {
    @TempDir
    Path root;

    private Recipe recipe(boolean skip) throws Exception {
        Files.writeString(root.resolve("train.jsonl"), """
                {"prompt":"Review:","completion":" Great."}
                {"prompt":"Review:","completion":17}
                {"text":"A whole review."}
                not json
                """);
        Files.writeString(root.resolve("heldout.jsonl"), "{\"text\":\"Fine.\"}\n");
        Files.writeString(root.resolve("prompts.jsonl"), "{\"prompt\":\"Review:\"}\n{\"prompt\":\"\"}\n");
        String yaml = """
                name: files
                data: {sft_train: train.jsonl, sft_heldout: heldout.jsonl, prompts: prompts.jsonl,
                       eval_prompts_file: prompts.jsonl, skip_bad_lines: %s}
                architectures: {a: {layers: 1, hidden: 16, heads: 2}}
                runs: [{name: base, objective: sft, architecture: a, steps: 1}]
                """.formatted(skip);
        Path file = root.resolve("recipe.yaml");
        Files.writeString(file, yaml);
        return Recipe.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), file, "x");
    }

    @Test
    @DisplayName("with skip_bad_lines, malformed lines of the recipe's files are counted and reported")
    void skipsAndCounts() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Recipe recipe = recipe(true);
        Corpus corpus = DataStage.run(
                recipe,
                new Workspace(root.resolve("work"), new Fingerprints(recipe)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(corpus.train()).hasSize(2);
        assertThat(corpus.samplingPrompts()).hasSize(1);
        assertThat(corpus.skippedLines()).isEqualTo(2 + 2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("train.jsonl:2: field \"completion\" must be a string, got number 17 (rule NOT_A_STRING)")
                .contains("train.jsonl:4: the line is not valid JSON")
                .contains("4 malformed lines skipped");
    }

    @Test
    @DisplayName(
            "without skip_bad_lines the first malformed line stops the pipeline, naming file, line, field and rule")
    void failsOnFirstBadLine() throws Exception {
        Recipe recipe = recipe(false);
        assertThatThrownBy(() -> DataStage.run(
                        recipe,
                        new Workspace(root.resolve("work"), new Fingerprints(recipe)),
                        new PrintStream(PrintStream.nullOutputStream())))
                .isInstanceOf(DataFormatException.class)
                .hasMessageEndingWith(
                        "train.jsonl:2: field \"completion\" must be a string, got number 17" + " (rule NOT_A_STRING)");
    }
}
