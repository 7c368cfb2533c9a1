package dev.trimtab.loadtest.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.loadtest.Arrivals;
import dev.trimtab.loadtest.Durations;
import dev.trimtab.loadtest.Load;
import dev.trimtab.loadtest.LoadTestConfig;
import dev.trimtab.loadtest.Slo;
import dev.trimtab.loadtest.SloMetric;
import dev.trimtab.loadtest.Target;
import dev.trimtab.loadtest.workload.GeneratedPrompts;
import dev.trimtab.loadtest.workload.JsonlPrompts;
import dev.trimtab.loadtest.workload.LengthDistribution;
import dev.trimtab.loadtest.workload.PromptSource;
import dev.trimtab.loadtest.workload.StrategyMix;
import dev.trimtab.loadtest.workload.Workload;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The command-line options, and their conversion into a validated {@link LoadTestConfig}. */
final class Options {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--url",
            required = true,
            paramLabel = "URL",
            description = "Base URL of the server, e.g. http://127.0.0.1:8000.")
    String url;

    @Option(
            names = "--endpoint",
            paramLabel = "PATH",
            defaultValue = Target.DEFAULT_ENDPOINT,
            description = "Completions path appended to the URL (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "The \"model\" of every request.")
    String model;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            defaultValue = "${env:OPENAI_API_KEY}",
            description = "Sent as 'Authorization: Bearer KEY' (default: $OPENAI_API_KEY, if set).")
    String apiKey;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "2m",
            description = "Limit on one request, and on its wait for a free slot (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(
            names = {"-c", "--concurrency"},
            split = ",",
            paramLabel = "N",
            description = "Closed loop: N clients, each sending its next request when its last one ends. "
                    + "A list (1,2,4,8) sweeps.")
    List<Integer> concurrency;

    @Option(
            names = {"-r", "--rate"},
            split = ",",
            paramLabel = "R",
            description = "Open loop: R requests/s whatever the server's pace. A list (1,2,4) sweeps.")
    List<Double> rate;

    @Option(
            names = "--arrivals",
            paramLabel = "KIND",
            description = "Open-loop arrivals: poisson, constant, or gamma:B with burstiness B "
                    + "(B < 1 burstier, 1 = poisson; default: poisson).")
    String arrivals;

    @Option(
            names = "--max-in-flight",
            paramLabel = "N",
            defaultValue = "0",
            description = "Cap on requests in flight; beyond it requests wait in the client and the wait counts "
                    + "(default: the concurrency, or " + LoadTestConfig.DEFAULT_OPEN_LOOP_MAX_IN_FLIGHT
                    + " in an open loop).")
    int maxInFlight;

    @Option(
            names = {"-d", "--duration"},
            paramLabel = "DURATION",
            description = "Measured time per load, e.g. 60s or 5m (default: 60s unless --requests is given).")
    String duration;

    @Option(
            names = {"-n", "--requests"},
            paramLabel = "N",
            defaultValue = "0",
            description = "Measured requests per load (ends the load at whichever of -d and -n comes first).")
    long requests;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            defaultValue = "0s",
            description = "Requests scheduled this long after a load starts are sent but not measured "
                    + "(default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(
            names = "--warmup-requests",
            paramLabel = "N",
            defaultValue = "0",
            description = "The first N requests of each load are sent but not measured (default: ${DEFAULT-VALUE}).")
    long warmupRequests;

    @Option(
            names = "--prompts",
            paramLabel = "FILE",
            description = "JSONL prompts, one {\"prompt\": \"...\"} per line (optional \"max_tokens\"), used in order.")
    Path prompts;

    @Option(
            names = "--prompt-words",
            paramLabel = "DIST",
            description = "Generated prompts of DIST words: N, uniform:MIN:MAX or normal:MEAN:SD (default: 64).")
    String promptWords;

    @Option(
            names = "--max-tokens",
            paramLabel = "DIST",
            defaultValue = "128",
            description = "max_tokens per request: N, uniform:MIN:MAX or normal:MEAN:SD (default: ${DEFAULT-VALUE}).")
    String maxTokens;

    @Option(
            names = "--mix",
            paramLabel = "STRATEGY:WEIGHT,...",
            description = "Weighted mix of alignment strategies sent as \"alignment\": {\"strategy\": ...}, "
                    + "e.g. none:50,genarm:30,best_of_n:20; the names are the server's (Trimtab lists its "
                    + "strategies in /v1/models) (default: no alignment field at all).")
    String mix;

    @Option(
            names = {"-p", "--alignment-params"},
            paramLabel = "STRATEGY=JSON",
            mapFallbackValue = "",
            description = "Parameters merged into a strategy's alignment object, e.g. best_of_n='{\"n\":8}'. "
                    + "Repeatable.")
    Map<String, String> alignmentParams = new LinkedHashMap<>();

    @Option(
            names = "--extra-body",
            paramLabel = "JSON",
            description = "A JSON object merged into every request body, e.g. '{\"temperature\":0.7}'.")
    String extraBody;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seeds prompts, max_tokens, strategies and arrivals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--slo",
            paramLabel = "METRIC=DURATION,...",
            description = "Per-request latency bounds, metrics ttft, tpot, e2e; e.g. ttft=500ms,tpot=50ms. "
                    + "Sets goodput, and ends a sweep at the first load that breaks it.")
    String slo;

    @Option(
            names = "--slo-attainment",
            paramLabel = "FRACTION",
            defaultValue = "0.99",
            description = "Share of requests that must meet the SLO: a fraction in (0, 1] or a percentage like 99%% "
                    + "(default: ${DEFAULT-VALUE}).")
    String sloAttainment;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            description = "Write report.json, report.md and PNG charts into DIR.")
    Path out;

    @Option(
            names = "--save-requests",
            description = "With --out, also write every request's timeline to requests.jsonl.")
    boolean saveRequests;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress line.")
    boolean quiet;

    /**
     * Builds the configuration, collecting every invalid option into one message.
     *
     * @throws ParameterException naming each bad option, its value and the rule
     */
    LoadTestConfig toConfig(CommandLine commandLine) {
        OptionErrors errors = new OptionErrors();
        LoadTestConfig.Builder builder = LoadTestConfig.builder(errors.convert("--url", this::uri), model)
                .endpoint(endpoint)
                .apiKey(apiKey == null ? "" : apiKey)
                .timeout(errors.convert("--timeout", () -> Durations.parse("--timeout", timeout)))
                .loads(errors.convert(concurrency != null ? "--concurrency" : "--rate", this::loads))
                .maxInFlight(maxInFlight)
                .slo(slo(errors))
                .seed(seed)
                .keepRequests(saveRequests);
        runLength(builder, errors);
        checkNumbers(errors);
        builder.workload(workload(errors));
        errors.throwIfAny(commandLine);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    private void runLength(LoadTestConfig.Builder builder, OptionErrors errors) {
        builder.warmup(errors.convert("--warmup", () -> Durations.parse("--warmup", warmup)))
                .warmupRequests(warmupRequests)
                .requests(requests);
        if (duration != null) {
            builder.duration(errors.convert("--duration", () -> Durations.parse("--duration", duration)));
        }
    }

    private void checkNumbers(OptionErrors errors) {
        errors.check(!model.isBlank(), "--model: must be a non-empty name, got '" + model + "'");
        errors.check(
                maxInFlight >= 0 && maxInFlight <= 100_000,
                "--max-in-flight: must be in [0, 100000] (0 for the default), got " + maxInFlight);
        errors.check(requests >= 0, "--requests: must be >= 0, got " + requests);
        errors.check(warmupRequests >= 0, "--warmup-requests: must be >= 0, got " + warmupRequests);
        errors.check(!saveRequests || out != null, "--save-requests needs --out DIR to write requests.jsonl into");
    }

    /** The workload, or null with the errors recorded. */
    private Workload workload(OptionErrors errors) {
        PromptSource source = errors.convert(prompts != null ? "--prompts" : "--prompt-words", this::prompts);
        LengthDistribution tokens =
                errors.convert("--max-tokens", () -> LengthDistribution.parse("--max-tokens", maxTokens));
        StrategyMix strategies = errors.convert("--mix", this::mix);
        ObjectNode body = errors.convert("--extra-body", this::extraBody);
        if (!errors.isEmpty()) {
            return null;
        }
        return errors.convert("--extra-body", () -> new Workload(source, tokens, strategies, body));
    }

    /** The SLO, or null with the errors recorded. */
    private Slo slo(OptionErrors errors) {
        Map<SloMetric, Duration> bounds = errors.convert("--slo", this::sloThresholds);
        Double attainment = errors.convert("--slo-attainment", this::attainment);
        return bounds == null || attainment == null ? null : new Slo(bounds, attainment);
    }

    private URI uri() {
        URI parsed;
        try {
            parsed = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be http://HOST[:PORT], got '" + url + "'", e);
        }
        Target.of(parsed, "any"); // validates scheme, host, no query
        return parsed;
    }

    private List<Load> loads() {
        boolean closed = concurrency != null && !concurrency.isEmpty();
        boolean open = rate != null && !rate.isEmpty();
        if (closed == open) {
            throw new IllegalArgumentException("--concurrency N (closed loop) or --rate R (open loop): give exactly "
                    + "one, got " + (closed ? "both" : "neither"));
        }
        return closed ? closedLoads() : openLoads();
    }

    private List<Load> closedLoads() {
        if (arrivals != null) {
            throw new IllegalArgumentException("--arrivals shapes an open loop; use it with --rate, not --concurrency");
        }
        return increasing(
                "--concurrency",
                concurrency.stream().<Load>map(Load.Closed::new).toList());
    }

    private List<Load> openLoads() {
        Arrivals process;
        try {
            process = Arrivals.parse(arrivals == null ? "poisson" : arrivals);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arrivals: " + e.getMessage(), e);
        }
        return increasing(
                "--rate",
                rate.stream().<Load>map(r -> new Load.Open(r, process)).toList());
    }

    private static List<Load> increasing(String option, List<Load> loads) {
        for (int i = 1; i < loads.size(); i++) {
            if (loads.get(i).offered() <= loads.get(i - 1).offered()) {
                throw new IllegalArgumentException(option + ": a sweep's loads must be strictly increasing, got "
                        + loads.stream()
                                .map(load -> dev.trimtab.loadtest.Numbers.trim(load.offered()))
                                .toList());
            }
        }
        return loads;
    }

    private PromptSource prompts() {
        if (prompts != null && promptWords != null) {
            throw new IllegalArgumentException(
                    "--prompts and --prompt-words exclude each other: prompts come from " + "a file or are generated");
        }
        return prompts != null
                ? JsonlPrompts.load(prompts)
                : new GeneratedPrompts(
                        LengthDistribution.parse("--prompt-words", promptWords == null ? "64" : promptWords));
    }

    private StrategyMix mix() {
        if (mix != null) {
            return StrategyMix.parse(mix, alignmentParams);
        }
        if (!alignmentParams.isEmpty()) {
            throw new IllegalArgumentException("--alignment-params needs --mix naming the strategies, got parameters "
                    + "for " + alignmentParams.keySet());
        }
        return StrategyMix.serverDefault();
    }

    private ObjectNode extraBody() {
        if (extraBody == null) {
            return JSON.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(extraBody);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("must be a JSON object like {\"temperature\": 0.7}, got '" + extraBody
                    + "' (" + e.getOriginalMessage() + ")");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException(
                    "must be a JSON object like {\"temperature\": 0.7}, got '" + extraBody + "'");
        }
        return (ObjectNode) parsed;
    }

    private Map<SloMetric, Duration> sloThresholds() {
        Map<SloMetric, Duration> thresholds = new EnumMap<>(SloMetric.class);
        if (slo != null) {
            for (String part : slo.split(",", -1)) {
                String[] pair = part.split("=", -1);
                if (pair.length != 2) {
                    throw new IllegalArgumentException(
                            "entries must be METRIC=DURATION like ttft=500ms, got '" + part + "'");
                }
                SloMetric metric = SloMetric.parse(pair[0]);
                thresholds.put(metric, Durations.parse("--slo " + metric.key(), pair[1]));
            }
        }
        return thresholds;
    }

    private double attainment() {
        String text = sloAttainment.strip();
        double value;
        try {
            value = text.endsWith("%")
                    ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                    : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    "must be a fraction in (0, 1] or a percentage like 99%, got '" + sloAttainment + "'");
        }
        return value;
    }
}
