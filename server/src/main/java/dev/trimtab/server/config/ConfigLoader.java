package dev.trimtab.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trimtab.decoding.engine.SessionSettings;
import dev.trimtab.decoding.strategy.ModelKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a server configuration file. Paths are resolved against the file's directory; every broken
 * rule is collected and reported at once, each with its path in the file
 * ({@code models[0].max_running_rows must be >= 1, got 0}).
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path file;
    private final Path base;
    private final List<String> errors = new ArrayList<>();

    private ConfigLoader(Path file) {
        this.file = file;
        this.base = file.toAbsolutePath().getParent();
    }

    public static ServerConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("server config " + file + " not found");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getMessage(), e);
        }
        return new ConfigLoader(file).read(root == null ? YAML.createObjectNode() : root);
    }

    private ServerConfig read(JsonNode root) {
        JsonNode server = root.path("server");
        ServerConfig config = new ServerConfig(
                text(server, "server.host", ServerConfig.DEFAULT_HOST),
                integer(server, "server.port", ServerConfig.DEFAULT_PORT, 0, 65535),
                integer(
                        server,
                        "server.body_limit_bytes",
                        (int) ServerConfig.DEFAULT_BODY_LIMIT,
                        1024,
                        Integer.MAX_VALUE),
                apiKeys(server.path("api_keys")),
                integer(server, "server.drain_seconds", ServerConfig.DEFAULT_DRAIN_SECONDS, 0, 3600),
                integer(server, "server.drain_delay_seconds", ServerConfig.DEFAULT_DRAIN_DELAY_SECONDS, 0, 600),
                connections(server),
                flag(server, "server.metrics_public"),
                models(root.path("models")));
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", errors));
        }
        return config;
    }

    private ConnectionLimits connections(JsonNode server) {
        return new ConnectionLimits(
                integer(server, "server.header_timeout_seconds", ConnectionLimits.DEFAULT_HEADER_TIMEOUT, 1, 3600),
                integer(server, "server.body_timeout_seconds", ConnectionLimits.DEFAULT_BODY_TIMEOUT, 1, 3600),
                integer(server, "server.idle_timeout_seconds", ConnectionLimits.DEFAULT_IDLE_TIMEOUT, 1, 86400),
                integer(server, "server.max_connections", ConnectionLimits.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000));
    }

    private boolean flag(JsonNode node, String path) {
        JsonNode value = node.path(path.substring(path.lastIndexOf('.') + 1));
        if (value.isMissingNode()) return false;
        if (!value.isBoolean()) errors.add(path + " must be true or false, got " + value);
        return value.asBoolean(false);
    }

    private List<ModelEntry> models(JsonNode models) {
        List<ModelEntry> parsed = new ArrayList<>();
        if (!models.isArray() || models.isEmpty()) {
            errors.add("models must be a non-empty list");
            return parsed;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            ModelEntry model = model(models.get(i), "models[" + i + "]");
            if (!names.add(model.name())) errors.add("models[" + i + "].name \"" + model.name() + "\" is used twice");
            parsed.add(model);
        }
        return parsed;
    }

    private ModelEntry model(JsonNode node, String at) {
        Map<ModelKind, Map<String, Path>> auxiliary = new EnumMap<>(ModelKind.class);
        Map<String, String> rewardLabels = new LinkedHashMap<>();
        for (ModelKind kind : ModelKind.values()) {
            auxiliary.put(
                    kind,
                    paths(
                            node.path(kind.configKey()),
                            at + "." + kind.configKey(),
                            kind == ModelKind.REWARD_MODEL ? rewardLabels : null));
        }
        return new ModelEntry(
                requiredText(node, at + ".name"),
                directory(node, at + ".path"),
                integer(node, at + ".max_running_rows", ModelEntry.DEFAULT_MAX_RUNNING_ROWS, 1, 4096),
                integer(node, at + ".max_queued_requests", ModelEntry.DEFAULT_MAX_QUEUED_REQUESTS, 0, 1 << 20),
                integer(node, at + ".max_prefill_tokens", ModelEntry.DEFAULT_MAX_PREFILL_TOKENS, 1, 1 << 24),
                session(node.path("session"), at + ".session"),
                auxiliary,
                rewardLabels);
    }

    private SessionSettings session(JsonNode node, String at) {
        try {
            return new SessionSettings(
                    integer(node, at + ".intra_op_threads", 0, 0, 1024),
                    integer(node, at + ".inter_op_threads", 0, 0, 1024),
                    SessionSettings.OptimizationLevel.valueOf(
                            text(node, at + ".optimization_level", "ALL").toUpperCase(Locale.ROOT)),
                    SessionSettings.ExecutionProvider.valueOf(
                            text(node, at + ".execution_provider", "CPU").toUpperCase(Locale.ROOT)),
                    integer(node, at + ".device_id", 0, 0, 64),
                    flag(node, at + ".allow_spinning"));
        } catch (IllegalArgumentException e) {
            errors.add(at
                    + ": optimization_level must be DISABLED, BASIC, EXTENDED or ALL and execution_provider CPU or CUDA ("
                    + e.getMessage() + ")");
            return SessionSettings.DEFAULT;
        }
    }

    /**
     * The section's models by name: each a directory, or where {@code labels} is given (reward
     * models) also {@code {path: DIR, label: INDEX_OR_NAME}}, whose label goes into {@code labels}.
     */
    private Map<String, Path> paths(JsonNode node, String at, Map<String, String> labels) {
        Map<String, Path> paths = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) return paths;
        if (!node.isObject()) {
            errors.add(at + " must map names to model directories");
            return paths;
        }
        node.fieldNames().forEachRemaining(name -> {
            JsonNode entry = node.get(name);
            if (labels != null && entry.isObject()) {
                paths.put(name, directory(entry, at + "." + name + ".path"));
                label(entry.get("label"), at + "." + name + ".label").ifPresent(label -> labels.put(name, label));
            } else {
                paths.put(name, directory(node, at + "." + name, name));
            }
        });
        return paths;
    }

    private Optional<String> label(JsonNode label, String at) {
        if (label == null || label.isNull()) return Optional.empty();
        if ((label.isIntegralNumber() && label.canConvertToInt() && label.asInt() >= 0)
                || (label.isTextual() && !label.asText().isBlank())) {
            return Optional.of(label.asText());
        }
        errors.add(
                at + " must be a label index (an integer >= 0) or a label name of the model's id2label, got " + label);
        return Optional.empty();
    }

    private Path directory(JsonNode node, String at) {
        return directory(node, at, at.substring(at.lastIndexOf('.') + 1));
    }

    private Path directory(JsonNode node, String at, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            errors.add(at + " must be a path to a model directory");
            return base;
        }
        Path path = base.resolve(value.asText()).normalize();
        if (!Files.isDirectory(path)) errors.add(at + " names " + path + ", which is not a directory");
        return path;
    }

    private Set<String> apiKeys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        if (node.isMissingNode() || node.isNull()) return keys;
        if (!node.isArray()) {
            errors.add("server.api_keys must be a list of strings");
            return keys;
        }
        node.forEach(key -> {
            if (key.isTextual() && !key.asText().isBlank()) keys.add(key.asText());
            else errors.add("server.api_keys entries must be non-empty strings");
        });
        return keys;
    }

    private String requiredText(JsonNode node, String at) {
        String key = at.substring(at.lastIndexOf('.') + 1);
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            errors.add(at + " must be a non-empty string");
            return "";
        }
        return value.asText();
    }

    private String text(JsonNode node, String at, String fallback) {
        JsonNode value = node.get(at.substring(at.lastIndexOf('.') + 1));
        if (value == null || value.isNull()) return fallback;
        if (!value.isTextual()) {
            errors.add(at + " must be a string, got " + value);
            return fallback;
        }
        return value.asText();
    }

    private int integer(JsonNode node, String at, int fallback, int min, int max) {
        JsonNode value = node.get(at.substring(at.lastIndexOf('.') + 1));
        if (value == null || value.isNull()) return fallback;
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            errors.add(at + " must be an integer in [" + min + ", " + max + "], got " + value);
            return fallback;
        }
        return value.asInt();
    }
}
