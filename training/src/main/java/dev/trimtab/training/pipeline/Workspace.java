package dev.trimtab.training.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.io.AtomicFiles;
import dev.trimtab.training.train.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The pipeline's working directory: each stage's outputs under its own folder and, once the stage
 * finished, a {@code done.json} marker holding the stage's {@link Fingerprints fingerprint} and
 * summary. A resumed pipeline skips the stages whose marker matches.
 */
final class Workspace {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Fingerprints fingerprints;

    Workspace(Path root, Fingerprints fingerprints) {
        this.root = root;
        this.fingerprints = fingerprints;
    }

    Path root() {
        return root;
    }

    /** The fingerprint of {@code stage} under the current recipe. */
    String fingerprint(String stage) {
        return fingerprints.of(stage);
    }

    Path stage(String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }

    RunFiles run(String name) throws IOException {
        return new RunFiles(Files.createDirectories(root.resolve("runs").resolve(name)));
    }

    /** The summary a finished stage recorded, when its marker matches this recipe. */
    Optional<JsonNode> done(String stage) throws IOException {
        Path marker = root.resolve(stage).resolve("done.json");
        if (!Files.exists(marker)) {
            return Optional.empty();
        }
        JsonNode node = JSON.readTree(marker.toFile());
        return fingerprint(stage).equals(node.path("fingerprint").asText())
                ? Optional.of(node.path("summary"))
                : Optional.empty();
    }

    void markDone(String stage, JsonNode summary) throws IOException {
        ObjectNode marker = JSON.createObjectNode();
        marker.put("fingerprint", fingerprint(stage));
        marker.set("summary", summary);
        AtomicFiles.write(
                stage(stage).resolve("done.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
    }

    /** Deletes the whole working directory (a fresh, non-resumed pipeline). */
    void clear() throws IOException {
        delete(root);
    }

    /** Deletes {@code directory} and everything under it, if it exists. */
    static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
