package dev.trimtab.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trimtab.decoding.strategy.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path root;

    @Test
    @DisplayName("paths resolve against the config file and defaults fill what is absent")
    void resolvesPathsAndDefaults() throws Exception {
        Files.createDirectories(root.resolve("models/base"));
        Files.createDirectories(root.resolve("models/arm"));
        Files.createDirectories(root.resolve("conf"));
        Path file = Files.writeString(
                root.resolve("conf/server.yaml"), """
                models:
                  - name: demo
                    path: ../models/base
                    arms: {positive: ../models/arm}
                """.stripIndent(), java.nio.file.StandardOpenOption.CREATE_NEW);
        ServerConfig config = ConfigLoader.load(file);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8000);
        assertThat(config.apiKeys()).isEmpty();
        assertThat(config.drainDelaySeconds()).isZero();
        ModelEntry model = config.models().get(0);
        assertThat(model.path()).isEqualTo(root.resolve("models/base"));
        assertThat(model.auxiliary(ModelKind.ARM)).containsEntry("positive", root.resolve("models/arm"));
        assertThat(model.maxRunningRows()).isEqualTo(ModelEntry.DEFAULT_MAX_RUNNING_ROWS);
        assertThat(model.maxPrefillTokens()).isEqualTo(256);
    }

    @Test
    @DisplayName("every broken rule is reported at once with its place in the file")
    void reportsEveryError() throws Exception {
        Path file = Files.writeString(root.resolve("server.yaml"), """
                server:
                  port: 70000
                  api_keys: [""]
                  drain_delay_seconds: -1
                models:
                  - name: demo
                    path: missing
                    max_running_rows: 0
                    max_prefill_tokens: 0
                    session: {execution_provider: TPU}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .hasMessageContaining("server.port must be an integer in [0, 65535], got 70000")
                .hasMessageContaining("server.api_keys entries must be non-empty strings")
                .hasMessageContaining("server.drain_delay_seconds must be an integer in [0, 600], got -1")
                .hasMessageContaining("models[0].path names")
                .hasMessageContaining("models[0].max_running_rows must be an integer in [1, 4096], got 0")
                .hasMessageContaining("models[0].max_prefill_tokens must be an integer in [1, 16777216], got 0")
                .hasMessageContaining("execution_provider CPU or CUDA");
    }

    @Test
    @DisplayName("a reward model may name the label that is its reward, by index or by name")
    void rewardLabels() throws Exception {
        Files.createDirectories(root.resolve("base"));
        Files.createDirectories(root.resolve("rm"));
        Path file = Files.writeString(root.resolve("server.yaml"), """
                models:
                  - name: demo
                    path: base
                    reward_models:
                      plain: rm
                      by-index: {path: rm, label: 2}
                      by-name: {path: rm, label: helpful}
                """);
        ModelEntry model = ConfigLoader.load(file).models().get(0);
        assertThat(model.auxiliary(ModelKind.REWARD_MODEL))
                .containsOnlyKeys("plain", "by-index", "by-name")
                .containsEntry("by-name", root.resolve("rm"));
        assertThat(model.rewardLabels()).containsOnly(Map.entry("by-index", "2"), Map.entry("by-name", "helpful"));
        Path bad = Files.writeString(root.resolve("bad.yaml"), """
                models:
                  - name: demo
                    path: base
                    reward_models: {rm: {path: rm, label: -1}}
                    scorers: {rm: {path: rm, label: 1}}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(bad))
                .hasMessageContaining("models[0].reward_models.rm.label must be a label index (an integer >= 0) or a"
                        + " label name of the model's id2label, got -1")
                .hasMessageContaining("models[0].scorers.rm must be a path to a model directory");
    }

    @Test
    @DisplayName("a missing file or invalid YAML is named")
    void missingOrInvalid() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(root.resolve("nope.yaml"))).hasMessageContaining("not found");
        Path bad = Files.writeString(root.resolve("bad.yaml"), "models: [unclosed");
        assertThatThrownBy(() -> ConfigLoader.load(bad)).hasMessageContaining("is not valid YAML");
    }
}
