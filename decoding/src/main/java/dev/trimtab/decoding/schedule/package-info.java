/**
 * Continuous batching across requests, for one base model and its auxiliary models: the public API
 * the server and the CLI use ({@link dev.trimtab.decoding.schedule.Scheduler}, {@link
 * dev.trimtab.decoding.schedule.DecodeRequest}, {@link dev.trimtab.decoding.schedule.DecodeListener},
 * {@link dev.trimtab.decoding.schedule.DecodeResult}, {@link dev.trimtab.decoding.schedule.Generator}),
 * with its implementation package-private beside it (lanes, rows, request state, accounting).
 *
 * <p>A {@link dev.trimtab.decoding.schedule.Scheduler} owns one lane per model: a shared {@link
 * dev.trimtab.decoding.engine.DecoderBatch} holding the rows of every request that uses the model.
 * Requests arrive through {@link dev.trimtab.decoding.schedule.Scheduler#submit} (any thread; bad
 * input is a {@link dev.trimtab.decoding.InvalidRequestException} at once) and are decoded round by
 * round on the thread that calls {@link dev.trimtab.decoding.schedule.Scheduler#runRound}:
 *
 * <pre>{@code
 * AlignmentModels models = AlignmentModels.of("base", base)
 *         .withDecoder(ModelKind.ALIGNED, "aligned", aligned, Optional.of(alignedTokenizer))
 *         .withDecoder(ModelKind.SCORER, "rm", rewardDecoder, Optional.empty())
 *         .withRewardModel("rm", rewardModel);
 * try (Scheduler scheduler = new Scheduler(models, SchedulerSettings.DEFAULT)) {
 *     // any thread:
 *     RequestHandle handle = scheduler.submit(
 *             new DecodeRequest(promptIds, sampling, DeraParams.of(0.7), false), listener);
 *     // the scheduler's own thread:
 *     while (open) {
 *         if (scheduler.awaitWork(Duration.ofMillis(50))) {
 *             scheduler.runRound();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Each request's strategy (a validated parameters record implementing {@link
 * dev.trimtab.decoding.strategy.AlignmentStrategy}) starts a {@link
 * dev.trimtab.decoding.strategy.StepDecoder} that talks only to its {@link
 * dev.trimtab.decoding.strategy.Row}s and its {@link dev.trimtab.decoding.strategy.RequestContext};
 * its output reaches the {@link dev.trimtab.decoding.schedule.DecodeListener} token by token, with
 * text held back where a stop sequence may begin or a character is incomplete, and ends with a
 * {@link dev.trimtab.decoding.schedule.DecodeResult} carrying the accounting per model.
 */
package dev.trimtab.decoding.schedule;
