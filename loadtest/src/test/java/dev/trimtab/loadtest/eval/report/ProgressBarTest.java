package dev.trimtab.loadtest.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    @DisplayName("the bar shows the share done, the requests, the time elapsed and left, and the point")
    void line() {
        assertThat(ProgressBar.line(5, 20, "dera lambda=1", 75))
                .isEqualTo(
                        "[########......................]  25% 5/20 requests  1:15 elapsed  3:45 left  dera lambda=1");
        assertThat(ProgressBar.line(0, 20, "none", 0)).contains("0/20 requests", "? left");
    }

    @Test
    @DisplayName("into a log it prints a line now and then and always the last one; on a terminal it rewrites one")
    void logOrTerminal() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(log, true, StandardCharsets.UTF_8), false);
        bar.onRequest(1, 3, "a", 1);
        bar.onRequest(2, 3, "b", 2);
        bar.onRequest(3, 3, "c", 3);
        assertThat(log.toString(StandardCharsets.UTF_8).lines()).hasSize(2);

        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        bar = new ProgressBar(new PrintStream(terminal, true, StandardCharsets.UTF_8), true);
        bar.onRequest(1, 2, "a", 1);
        bar.onRequest(2, 2, "b", 2);
        bar.finish();
        assertThat(terminal.toString(StandardCharsets.UTF_8))
                .startsWith("\r[")
                .endsWith("\n")
                .contains("\r[###");
    }
}
