package dev.trimtab.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.decoding.model.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model directory's chat templates and special tokens, as transformers reads them: {@code
 * chat_template.jinja} (the default template, newer transformers), else {@code tokenizer_config.json}'s
 * {@code chat_template}, a string or a list of {@code {name, template}}; the special tokens ({@code
 * bos_token}, {@code eos_token}, ...) that are set, as strings or AddedToken objects. Templates are
 * kept already rewritten for Jinjava ({@link JinjaSyntax}).
 */
final class ChatTemplateFiles {
    static final String JINJA_FILE = "chat_template.jinja";
    private static final String DEFAULT = "default";
    private static final String TOOL_USE = "tool_use";
    private static final List<String> SPECIAL_TOKENS =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    private final Map<String, String> templates;
    private final Map<String, Object> specialTokens;

    ChatTemplateFiles(Map<String, String> templates, Map<String, Object> specialTokens) {
        this.templates = new LinkedHashMap<>();
        templates.forEach((name, source) -> this.templates.put(name, JinjaSyntax.toJinjava(source)));
        this.specialTokens = Map.copyOf(specialTokens);
    }

    static ChatTemplateFiles read(Path modelDirectory) {
        Optional<JsonNode> config = JsonFiles.readOptional(modelDirectory.resolve("tokenizer_config.json"));
        Map<String, String> templates = new LinkedHashMap<>();
        config.map(c -> c.get("chat_template")).ifPresent(node -> readTemplates(node, templates));
        Path jinja = modelDirectory.resolve(JINJA_FILE);
        if (Files.isRegularFile(jinja)) templates.put(DEFAULT, readString(jinja));
        Map<String, Object> tokens = new LinkedHashMap<>();
        config.ifPresent(
                c -> SPECIAL_TOKENS.forEach(name -> tokenText(c.get(name)).ifPresent(t -> tokens.put(name, t))));
        return new ChatTemplateFiles(templates, tokens);
    }

    private static void readTemplates(JsonNode node, Map<String, String> templates) {
        if (node.isTextual()) {
            templates.put(DEFAULT, node.asText());
            return;
        }
        for (JsonNode named : node) {
            if (named.path("name").isTextual() && named.path("template").isTextual()) {
                templates.put(named.get("name").asText(), named.get("template").asText());
            }
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chat template " + file, e);
        }
    }

    private static Optional<String> tokenText(JsonNode token) {
        if (token == null || token.isNull()) return Optional.empty();
        if (token.isTextual()) return Optional.of(token.asText());
        return token.path("content").isTextual()
                ? Optional.of(token.get("content").asText())
                : Optional.empty();
    }

    boolean hasTemplate() {
        return !templates.isEmpty();
    }

    /**
     * The template to render, as transformers picks it: {@code tool_use} when the request has tools
     * and the model has one, else {@code default}; empty when the model has no template.
     *
     * @throws ChatTemplateException when the model has named templates but no default
     */
    Optional<String> select(boolean withTools) throws ChatTemplateException {
        if (templates.isEmpty()) return Optional.empty();
        if (withTools && templates.containsKey(TOOL_USE)) return Optional.of(templates.get(TOOL_USE));
        if (templates.containsKey(DEFAULT)) return Optional.of(templates.get(DEFAULT));
        throw new ChatTemplateException(
                ChatTemplateException.Code.UNSUPPORTED,
                "the model has chat templates " + templates.keySet() + " but none named \"default\"");
    }

    Map<String, Object> specialTokens() {
        return specialTokens;
    }
}
