package dev.trimtab.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code configs/k8s} against the Kubernetes API schemas and the server's drain timing, by {@code
 * configs/k8s/validate/validate.mjs}; skipped where {@code node} or the validator's packages ({@code npm ci
 * --prefix configs/k8s/validate}, which {@code .ci/run} runs) are absent.
 */
class KubernetesManifestsTest {
    private static final Path MANIFESTS =
            Path.of("../configs/k8s").toAbsolutePath().normalize();
    private static final Path VALIDATOR = MANIFESTS.resolve("validate/validate.mjs");
    private static Path node;

    @BeforeAll
    static void findNode() {
        node = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "node"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        assumeTrue(node != null, "node is not installed: the Kubernetes manifests are not validated");
        assumeTrue(
                Files.isDirectory(MANIFESTS.resolve("validate/node_modules/kubernetes-models")),
                "the validator's packages are not installed (npm ci --prefix configs/k8s/validate):"
                        + " the Kubernetes manifests are not validated");
    }

    @Test
    @DisplayName("the manifests pass the Kubernetes schemas and the drain, probe, volume and selector checks")
    void manifestsAreValid() throws Exception {
        String output = validate(MANIFESTS, 0);
        assertThat(output).contains("Deployment/trimtab", "HorizontalPodAutoscaler/trimtab", "ServiceMonitor/trimtab");
    }

    @Test
    @DisplayName("a grace period shorter than the drain and a liveness probe on /health are reported")
    void brokenManifestsAreReported(@TempDir Path copy) throws Exception {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path deployment = copy.resolve("deployment.yaml");
        String text = Files.readString(deployment)
                .replace("terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds: 20")
                .replace(
                        "livenessProbe:\n            httpGet:\n              path: /metrics",
                        "livenessProbe:\n" + "            httpGet:\n              path: /health");
        Files.writeString(deployment, text);
        String output = validate(copy, 1);
        assertThat(output)
                .contains("terminationGracePeriodSeconds 20 must exceed")
                .contains("the liveness probe must not GET /health");
    }

    private static String validate(Path directory, int expectedExit) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(node.toString(), VALIDATOR.toString(), directory.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }
}
