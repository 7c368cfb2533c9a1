package dev.trimtab.loadtest.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.trimtab.loadtest.Report;
import dev.trimtab.loadtest.RequestRecord;
import dev.trimtab.loadtest.StepReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The report as JSON: every figure of every step and strategy, latencies in milliseconds, figures without samples as
 * {@code null}. Also the per-request timelines as JSON lines.
 */
public final class JsonReport {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).registerModule(nanAsNull());

    /** A Jackson module writing NaN and infinite doubles as null (JSON has no NaN). */
    public static SimpleModule nanAsNull() {
        return new SimpleModule("nan-as-null")
                .addSerializer(Double.class, new NanAsNull())
                .addSerializer(double.class, new NanAsNull());
    }

    private JsonReport() {}

    public static byte[] toBytes(Report report) {
        try {
            return JSON.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new IllegalStateException("a report must always serialize", e);
        }
    }

    public static void write(Report report, Path file) throws IOException {
        AtomicFiles.write(file, toBytes(report));
    }

    /** One line per request of every step: its timeline in milliseconds from the step's start and its outcome. */
    public static void writeRequests(Report report, Path file) throws IOException {
        ObjectMapper compact = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(file, out -> {
            for (StepReport step : report.steps()) {
                for (RequestRecord request : step.requests()) {
                    writeLine(out, compact, requestLine(compact, step, request));
                }
            }
        });
    }

    /** {@code line} as one compact JSON line. */
    public static void writeLine(OutputStream out, ObjectMapper mapper, ObjectNode line) throws IOException {
        out.write(mapper.writeValueAsString(line).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    private static ObjectNode requestLine(ObjectMapper mapper, StepReport step, RequestRecord request) {
        ObjectNode line = mapper.createObjectNode()
                .put("load", step.label())
                .put("index", request.index())
                .put("strategy", request.strategy())
                .put("warmup", request.warmup())
                .put("max_tokens", request.maxTokens())
                .put("outcome", request.outcome().label())
                .put("status", request.outcome().status())
                .put("detail", request.outcome().detail())
                .put("scheduled_ms", request.scheduledNanos() / 1e6)
                .put("sent_ms", request.sentNanos() / 1e6)
                .put("end_ms", request.endNanos() / 1e6)
                .put("output_tokens", request.outputTokens())
                .put("prompt_tokens", request.promptTokens());
        ArrayNode chunks = line.putArray("chunk_ms");
        for (long chunk : request.chunkNanos()) {
            chunks.add(chunk / 1e6);
        }
        return line;
    }

    /** JSON has no NaN: a figure without samples is written as null. */
    private static final class NanAsNull extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        NanAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                generator.writeNull();
            } else {
                generator.writeNumber(value);
            }
        }
    }
}
