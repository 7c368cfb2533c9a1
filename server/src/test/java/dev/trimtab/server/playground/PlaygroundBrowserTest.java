package dev.trimtab.server.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trimtab.server.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playground in headless Chromium against the real server on tiny models, behind an API key:
 * the key, a strategy, a slider, both panes streamed, a stop, a server error. Skipped only where no
 * Chromium is installed ({@code .ci/run} installs Debian's).
 */
class PlaygroundBrowserTest {
    private static final String KEY = "playground-key";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;

    static ServerFixture server;
    static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        Path binary = Executables.find("chromium", "chromium-browser", "google-chrome");
        assumeTrue(
                binary != null,
                "no chromium on the PATH: the playground's browser test is skipped (apt-get install chromium)");
        server = ServerFixture.start(directory.resolve("models"), "  api_keys: [" + KEY + "]", 16, 64);
        Path profile = Files.createDirectories(directory.resolve("browser/profile"));
        browser = Chromium.start(binary, profile);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    @Test
    @DisplayName("key, strategy, slider, two streamed panes, stop and a server error in a real browser")
    void playground() throws Exception {
        browser.navigate(server.uri("/").toString());
        // without the key the page shows the server's own 401 message
        browser.await("document.getElementById('status').textContent.includes('API key')", WAIT);

        set("api-key", KEY, "change");
        browser.await("document.querySelector('#aligned-settings select[data-role=strategy]')", WAIT);
        assertThat(browser.eval("sessionStorage.getItem('trimtab.apiKey')").asText())
                .isEqualTo(KEY);
        assertThat(browser.eval("[...document.querySelectorAll('#model option')].map(o => o.value).join()")
                        .asText())
                .isEqualTo("tiny");

        browser.eval("(() => { const s = document.querySelector('select[data-role=strategy]');"
                + " s.value = 'dera'; s.dispatchEvent(new Event('change')); })()");
        browser.eval("(() => { const s = document.querySelector('input[data-field=lambda]');"
                + " s.value = '2.5'; s.dispatchEvent(new Event('input')); })()");
        set("max_tokens", "6", "input");
        click("generate");
        browser.await("document.querySelectorAll('#panes .pane.done').length === 2", WAIT);
        assertThat(browser.eval("[...document.querySelectorAll('#panes .pane h2')].map(h => h.textContent)")
                        .toString())
                .contains("base (none)", "dera (lambda=2.5)");
        assertThat(browser.eval("[...document.querySelectorAll('#panes .pane .text')]"
                                + ".every(t => t.textContent.length > 0)")
                        .asBoolean())
                .isTrue();
        assertThat(browser.eval("document.querySelectorAll('#panes .pane')[1].innerText")
                        .asText())
                .contains("6 tokens", "forward tokens", "dpo (policy)");
        assertThat(browser.eval("document.querySelector('#panes .error').textContent")
                        .asText())
                .isEmpty();
        Files.write(Path.of("target/playground.png"), browser.screenshot());

        // stopping before the answers come: the panes say so, the page keeps working
        browser.eval("(() => { document.getElementById('generate').click();"
                + " document.getElementById('stop').click(); })()");
        browser.await("document.getElementById('status').textContent === 'stopped'", WAIT);
        assertThat(browser.eval("document.querySelector('#panes .error').textContent")
                        .asText())
                .isEqualTo("stopped");
        click("generate");
        browser.await(
                "document.getElementById('status').textContent === 'done'"
                        + " && document.querySelectorAll('#panes .pane.done').length === 2",
                WAIT);

        // the server's words for a bad request
        set("temperature", "-1", "input");
        click("generate");
        browser.await("document.getElementById('status').textContent === 'done'", WAIT);
        assertThat(browser.eval("document.querySelector('#panes .error').textContent")
                        .asText())
                .startsWith("temperature");
    }

    @Test
    @DisplayName("the sweep streams one pane per strength and charts the reward against it")
    void sweep() throws Exception {
        browser.navigate(server.uri("/playground/").toString());
        browser.await("document.querySelector('#sweep-strategy option')", WAIT);
        set("view", "sweep", "change");
        set("sweep-strategy", "best_of_n", "change");
        set("sweep-field", "tau", "change");
        set("sweep-from", "0.5", "input");
        set("sweep-to", "1.5", "input");
        set("sweep-steps", "3", "input");
        set("max_tokens", "4", "input");
        click("generate");
        browser.await(
                "document.getElementById('status').textContent === 'done'"
                        + " && document.querySelectorAll('#sweep-panes .pane.done').length === 3",
                WAIT);
        assertThat(browser.eval("[...document.querySelectorAll('#sweep-panes .pane h2')].map(h => h.textContent)")
                        .toString())
                .contains("tau = 0.5", "tau = 1", "tau = 1.5");
        assertThat(browser.eval("document.querySelectorAll('#sweep-panes .pane')[0].innerText")
                        .asText())
                .contains("reward ", "positive-rm (reward)");
        assertThat(browser.eval("document.querySelectorAll('#sweep-chart circle').length")
                        .asInt())
                .isEqualTo(3);
        Files.write(Path.of("target/playground-sweep.png"), browser.screenshot());
    }

    private static void set(String id, String value, String event) throws Exception {
        browser.eval("(() => { const e = document.getElementById('" + id + "'); e.value = '" + value
                + "'; e.dispatchEvent(new Event('" + event + "')); })()");
    }

    private static void click(String id) throws Exception {
        browser.eval("document.getElementById('" + id + "').click()");
    }
}
