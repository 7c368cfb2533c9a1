package dev.trimtab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trimtab.server.ServerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated hostile corpus ({@link HostileCorpus}): every body gets a 2xx, or a 4xx in the
 * OpenAI shape whose {@code param} is the changed field or lies on its path; never a 5xx, never a
 * hang (each request has a deadline), and {@code /health} is 200 afterwards.
 */
class HostileCorpusTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName("hostile bodies, generated per field and type: 2xx or a 4xx naming the field, never 5xx, never a hang")
    void hostileCorpus() throws Exception {
        List<HostileCorpus.Case> cases = HostileCorpus.cases();
        assertThat(cases.size()).isGreaterThan(300);
        assertThat(cases.stream().map(HostileCorpus.Case::body).distinct().count())
                .isGreaterThan(300);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        try (ServerFixture server = ServerFixture.start(directory, "  body_limit_bytes: 65536\n", 16, 64)) {
            for (HostileCorpus.Case c : cases) {
                HttpResponse<String> response = server.post(c.endpoint(), c.body());
                statuses.merge(response.statusCode(), 1, Integer::sum);
                String problem = problem(c, response);
                if (problem != null) {
                    violations.add(c.endpoint() + " " + c.field() + " = " + c.description() + ": " + problem + ": "
                            + response.body()
                                    .substring(0, Math.min(400, response.body().length())));
                }
            }
            assertThat(violations).isEmpty();
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        }
        System.out.println("hostile corpus: " + cases.size() + " bodies, statuses " + statuses);
    }

    /**
     * What breaks the invariant, or null: a 5xx; a 4xx not in the OpenAI shape, with an unbounded
     * message, or whose {@code param} is not on the changed field's path (or, inside an object such
     * as {@code alignment}, not in that object: a changed strategy makes its siblings the fault).
     */
    private static String problem(HostileCorpus.Case c, HttpResponse<String> response) throws Exception {
        if (response.statusCode() >= 500) return "status " + response.statusCode();
        if (response.statusCode() < 400) {
            return response.body().contains("\"server_error\"") ? "a 2xx carrying a server error" : null;
        }
        JsonNode error = ServerFixture.json(response.body()).get("error");
        if (error == null || error.get("message").asText().isBlank()) return "not the OpenAI error shape";
        if (error.get("message").asText().length() > 1000)
            return "message of " + error.get("message").asText().length();
        String param = error.get("param").asText("");
        String top = c.field().split("\\.")[0];
        boolean named = !param.isEmpty()
                && (c.field().startsWith(param) || param.startsWith(c.field()) || param.startsWith(top + "."));
        return named ? null : "param " + (param.isEmpty() ? "null" : param) + " does not name " + c.field();
    }
}
