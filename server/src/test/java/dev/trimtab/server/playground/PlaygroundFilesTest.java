package dev.trimtab.server.playground;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trimtab.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaygroundFilesTest {
    @TempDir
    static Path directory;

    static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerFixture.start(directory, "  api_keys: [secret-key]", 16, 64);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("GET / and GET /playground redirect to the playground page")
    void redirects() throws Exception {
        for (String path : new String[] {"/", "/playground"}) {
            HttpResponse<String> response = server.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("location")).as(path).hasValue("/playground/");
        }
    }

    @ParameterizedTest(name = "{0} is served as {1}, without an API key")
    @CsvSource({
        "/playground/, text/html",
        "/playground/index.html, text/html",
        "/playground/app.js, text/javascript",
        "/playground/controls.js, text/javascript",
        "/playground/style.css, text/css"
    })
    void files(String path, String type) throws Exception {
        HttpResponse<String> response = server.get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse(""))
                .matches("(" + type + "|application/javascript)(;.*)?");
        assertThat(response.headers().firstValue("content-security-policy").orElse(""))
                .contains("default-src 'self'");
        assertThat(response.body()).isNotBlank();
    }

    @Test
    @DisplayName("the page references only its own files: nothing is fetched from the network")
    void noNetwork() throws Exception {
        for (String file : new String[] {"index.html", "app.js", "controls.js", "style.css"}) {
            // the SVG namespace is a name, never fetched
            String body = server.get("/playground/" + file).body().replace("http://www.w3.org/2000/svg", "");
            assertThat(body).as(file).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");
        }
    }

    @Test
    @DisplayName("a missing file is a 404 and the API stays behind the keys")
    void missingAndKeys() throws Exception {
        assertThat(server.get("/playground/nothing.js").statusCode()).isEqualTo(404);
        assertThat(server.get("/v1/models").statusCode()).isEqualTo(401);
    }
}
