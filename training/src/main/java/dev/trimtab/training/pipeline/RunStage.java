package dev.trimtab.training.pipeline;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.onnx.DecoderSpec;
import dev.trimtab.decoding.onnx.DecoderWeights;
import dev.trimtab.decoding.onnx.ExportOptions;
import dev.trimtab.decoding.onnx.WeightPrecision;
import dev.trimtab.training.data.DataFormatException;
import dev.trimtab.training.data.JsonlFile;
import dev.trimtab.training.data.Records;
import dev.trimtab.training.data.TokenSequence;
import dev.trimtab.training.model.DecoderInit;
import dev.trimtab.training.model.ReferenceLogProbs;
import dev.trimtab.training.objective.ArmObjective;
import dev.trimtab.training.objective.BradleyTerryObjective;
import dev.trimtab.training.objective.DpoObjective;
import dev.trimtab.training.objective.NextTokenObjective;
import dev.trimtab.training.objective.PreferencePair;
import dev.trimtab.training.objective.PrefixValueObjective;
import dev.trimtab.training.objective.ScoredSequence;
import dev.trimtab.training.train.Checkpoint;
import dev.trimtab.training.train.RunFiles;
import dev.trimtab.training.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains one recipe run and exports it: fresh or inherited weights, the objective's data, the
 * {@link Trainer} (resuming from the run's checkpoint when there is one), then the bundle export.
 * A run whose {@code done.json} matches the recipe is loaded instead of retrained.
 */
final class RunStage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunStage() {}

    /** A finished run. */
    record Outcome(RunSection run, DecoderSpec spec, DecoderWeights weights, JsonNode summary) {}

    static Outcome run(PipelineContext context, RunSection run, Map<String, Outcome> earlier, Path samples)
            throws IOException, DataFormatException, OrtException {
        String stage = "runs/" + run.name();
        DecoderSpec spec = spec(context, run);
        RunFiles files = context.workspace().run(run.name());
        Optional<JsonNode> done = context.workspace().done(stage);
        if (done.isPresent()) {
            context.out().println(run.name() + ": already trained (resumed pipeline)");
            DecoderWeights weights = Checkpoint.readWeights(files.weights());
            if (run.export() && !exported(context, run)) {
                export(context, run, spec, weights, files, ((ObjectNode) done.get()).deepCopy());
            }
            return new Outcome(run, spec, weights, done.get());
        }
        discardStale(context, files, stage);
        DecoderWeights initial = initial(context, run, spec, earlier);
        RunPlan<?> plan = plan(context, run, spec, initial, samples);
        if (plan.train().isEmpty()) {
            throw new IllegalStateException(
                    run.name() + ": no training examples in " + plan.dataFiles().get(0)
                            + (run.objective().needsSamples()
                                    ? "; the policy's samples never differed by sampling.min_reward_gap in "
                                            + run.reward() + ": train the SFT policy longer or sample more prompts"
                                    : ""));
        }
        ObjectNode summary = train(context, run, spec, initial, plan, files);
        DecoderWeights weights = Checkpoint.readWeights(files.weights());
        if (run.export()) {
            export(context, run, spec, weights, files, summary);
        }
        context.workspace().markDone(stage, summary);
        return new Outcome(run, spec, weights, summary);
    }

    /** Deletes a checkpoint left by other settings (the recipe changed since): the run starts afresh. */
    private static void discardStale(PipelineContext context, RunFiles files, String stage) throws IOException {
        if (Files.exists(files.checkpoint())
                && !context.workspace().fingerprint(stage).equals(Checkpoint.fingerprint(files.checkpoint()))) {
            context.out().println(stage + ": the recipe changed since its checkpoint; training it afresh");
            Workspace.delete(files.directory());
            Files.createDirectories(files.directory());
        }
    }

    private static DecoderSpec spec(PipelineContext context, RunSection run) {
        DecoderSpec spec =
                context.recipe().architectureOf(run).spec(context.tokens().vocabSize());
        return run.objective().scoreHead() ? spec.withScoreHead() : spec;
    }

    private static DecoderWeights initial(
            PipelineContext context, RunSection run, DecoderSpec spec, Map<String, Outcome> earlier) {
        long seed = Seeds.derive(context.recipe().seed(), "init", run.name());
        if (run.init() == null) {
            return DecoderInit.random(spec, seed);
        }
        Outcome parent = earlier.get(run.init());
        boolean addHead = spec.head() == DecoderSpec.Head.SCORE && parent.spec().head() != DecoderSpec.Head.SCORE;
        return addHead ? DecoderInit.withScoreHead(parent.weights(), spec, seed) : parent.weights();
    }

    private static RunPlan<?> plan(
            PipelineContext context, RunSection run, DecoderSpec spec, DecoderWeights initial, Path samples)
            throws IOException, DataFormatException {
        Tokens tokens = context.tokens();
        int ctx = spec.maxPositions();
        long pad = tokens.eos();
        return switch (run.objective()) {
            case SFT -> {
                List<TokenSequence> train = tokens.sft(context.corpus().train(), ctx);
                List<TokenSequence> heldOut = tokens.sft(context.corpus().heldout(), ctx);
                yield new RunPlan<>(
                        new NextTokenObjective(pad),
                        train,
                        heldOut,
                        context.corpus().sftFiles(),
                        0);
            }
            case DPO, ARM, REWARD_MODEL -> pairPlan(context, run, spec, initial, samples);
            case PREFIX_VALUE -> {
                Path trainFile = SamplingStage.rewards(samples, run.reward(), false);
                Path heldOutFile = SamplingStage.rewards(samples, run.reward(), true);
                List<ScoredSequence> train = tokens.scored(read(trainFile, Records.REWARD), ctx);
                List<ScoredSequence> heldOut = tokens.scored(read(heldOutFile, Records.REWARD), ctx);
                yield new RunPlan<>(
                        new PrefixValueObjective(pad),
                        train,
                        heldOut,
                        List.of(trainFile, heldOutFile),
                        tokens.takeDropped());
            }
        };
    }

    private static RunPlan<PreferencePair> pairPlan(
            PipelineContext context, RunSection run, DecoderSpec spec, DecoderWeights initial, Path samples)
            throws IOException, DataFormatException {
        Path trainFile = SamplingStage.preferences(samples, run.reward(), false);
        Path heldOutFile = SamplingStage.preferences(samples, run.reward(), true);
        Tokens tokens = context.tokens();
        List<PreferencePair> train = tokens.pairs(read(trainFile, Records.PREFERENCE), spec.maxPositions());
        List<PreferencePair> heldOut = tokens.pairs(read(heldOutFile, Records.PREFERENCE), spec.maxPositions());
        int dropped = tokens.takeDropped();
        long pad = tokens.eos();
        var objective =
                switch (run.objective()) {
                    case DPO -> new DpoObjective(run.beta(), pad);
                    case ARM -> new ArmObjective(run.beta(), pad);
                    default -> new BradleyTerryObjective(pad);
                };
        if (run.objective() == ObjectiveKind.DPO) {
            int batch = run.training().batchSize();
            train = ReferenceLogProbs.attach(context.manager(), spec, initial, train, pad, batch);
            heldOut = ReferenceLogProbs.attach(context.manager(), spec, initial, heldOut, pad, batch);
        }
        return new RunPlan<>(objective, train, heldOut, List.of(trainFile, heldOutFile), dropped);
    }

    private static <T> List<T> read(Path file, dev.trimtab.training.data.RecordFormat<T> format)
            throws IOException, DataFormatException {
        return JsonlFile.read(file, format, false).records();
    }

    private static <E> ObjectNode train(
            PipelineContext context,
            RunSection run,
            DecoderSpec spec,
            DecoderWeights initial,
            RunPlan<E> plan,
            RunFiles files)
            throws IOException {
        Trainer<E> trainer = new Trainer<>(
                run.name(),
                run.training()
                        .settings(run.steps(), Seeds.derive(context.recipe().seed(), "batches", run.name())),
                plan.objective(),
                plan.train(),
                plan.heldOut(),
                files,
                context.workspace().fingerprint("runs/" + run.name()));
        Trainer.Result result = trainer.run(
                context.manager(), spec, initial, true, context.progress(), context.out(), Trainer.StepListener.NONE);
        ObjectNode summary = JSON.createObjectNode();
        ObjectNode heldOut = summary.putObject("heldout");
        result.heldOut().forEach(heldOut::put);
        ObjectNode training = summary.putObject("training");
        training.put("steps", run.steps());
        training.put("examples", plan.train().size());
        training.put("heldout_examples", plan.heldOut().size());
        training.put("dropped_too_long", plan.dropped());
        training.put("tokens", result.tokens());
        training.put("seconds", result.seconds());
        training.put("tokens_per_s", result.tokensPerSecond());
        ObjectNode data = summary.putObject("data");
        for (Path file : plan.dataFiles()) {
            data.put(file.getFileName().toString(), "sha256:" + Recipe.sha256(Files.readAllBytes(file)));
        }
        Path tokenizer = context.tokenizerDirectory().resolve("tokenizer.json");
        data.put("tokenizer.json", "sha256:" + Recipe.sha256(Files.readAllBytes(tokenizer)));
        return summary;
    }

    /** Whether the bundle holds this run's export(s): a deleted model folder is exported again on resume. */
    private static boolean exported(PipelineContext context, RunSection run) {
        boolean main = Files.exists(context.bundle().resolve(run.name()).resolve(ModelExport.MANIFEST));
        return main
                && (run.withPast() == null
                        || Files.exists(context.bundle().resolve(run.withPast()).resolve(ModelExport.MANIFEST)))
                && run.quantized().keySet().stream()
                        .allMatch(name ->
                                Files.exists(context.bundle().resolve(name).resolve(ModelExport.MANIFEST)));
    }

    private static void export(
            PipelineContext context,
            RunSection run,
            DecoderSpec spec,
            DecoderWeights weights,
            RunFiles files,
            ObjectNode summary)
            throws IOException, OrtException {
        ObjectNode description = describe(context, run, summary);
        ExportOptions.Layout layout = run.objective() == ObjectiveKind.REWARD_MODEL
                ? ExportOptions.Layout.SEQUENCE_CLASSIFICATION
                : ExportOptions.Layout.SINGLE_FILE;
        ModelExport.export(context, run.name(), spec, weights, layout, files, description);
        if (run.withPast() != null) {
            description.put("derived_from", run.name());
            ModelExport.export(
                    context, run.withPast(), spec, weights, ExportOptions.Layout.SINGLE_FILE, files, description);
        }
        for (Map.Entry<String, WeightPrecision> quantized : run.quantized().entrySet()) {
            ObjectNode derived = describe(context, run, summary);
            derived.put("derived_from", run.name());
            ModelExport.exportQuantized(
                    context, quantized.getKey(), run.name(), spec, weights, quantized.getValue(), files, derived);
        }
        com.fasterxml.jackson.databind.node.ArrayNode exported = summary.putArray("exported");
        exported.add(run.name());
        if (run.withPast() != null) {
            exported.add(run.withPast());
        }
        run.quantized().keySet().forEach(exported::add);
    }

    private static ObjectNode describe(PipelineContext context, RunSection run, ObjectNode summary) {
        Recipe recipe = context.recipe();
        ObjectNode description = JSON.createObjectNode();
        description.put("kind", run.objective().modelKind());
        description.put("objective", run.objective().recipeName());
        if (run.reward() != null) {
            description.put("reward", run.reward());
        }
        if (run.objective() == ObjectiveKind.DPO || run.objective() == ObjectiveKind.ARM) {
            description.put("beta", run.beta());
        }
        description.put("init", run.init());
        ObjectNode source = description.putObject("recipe");
        source.put("name", recipe.name());
        source.put("file", recipe.source().toString());
        source.put("sha256", recipe.sha256());
        description.put("seed", recipe.seed());
        description.set("data", summary.get("data"));
        ObjectNode metrics = description.putObject("metrics");
        metrics.set("heldout", summary.get("heldout"));
        metrics.set("training", summary.get("training"));
        description.put("producer", "trimtab train pipeline");
        return description;
    }
}
