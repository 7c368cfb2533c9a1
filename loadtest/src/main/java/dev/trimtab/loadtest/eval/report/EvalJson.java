package dev.trimtab.loadtest.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.loadtest.eval.EvalReport;
import dev.trimtab.loadtest.eval.PointResult;
import dev.trimtab.loadtest.eval.Sample;
import dev.trimtab.loadtest.report.AtomicFiles;
import dev.trimtab.loadtest.report.JsonReport;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The evaluation as JSON ({@code report.json}: settings and every point's figures, snake_case, unmeasured figures
 * {@code null}) and one JSON line per sample ({@code samples.jsonl}).
 */
public final class EvalJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(JsonReport.nanAsNull());

    private EvalJson() {}

    public static void write(EvalReport report, Path file) throws IOException {
        ObjectNode root = JSON.valueToTree(report);
        root.remove("samples");
        AtomicFiles.write(file, JSON.writeValueAsBytes(root));
    }

    public static void writeSamples(EvalReport report, Path file) throws IOException {
        ObjectMapper compact = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(file, out -> {
            for (int i = 0; i < report.points().size(); i++) {
                PointResult point = report.points().get(i);
                for (Sample sample : report.samples().get(i)) {
                    ObjectNode line = compact.createObjectNode().put("point", point.label());
                    line.setAll((ObjectNode) compact.valueToTree(sample));
                    line.put("token_kl", sample.tokenKl());
                    JsonReport.writeLine(out, compact, line);
                }
            }
        });
    }

    /** Reads a written report back, for tests and tools. */
    public static ObjectNode read(Path file) throws IOException {
        return (ObjectNode) JSON.readTree(file.toFile());
    }
}
