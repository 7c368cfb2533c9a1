/**
 * The alignment evaluator ({@code bin/trimtab eval}, {@code bin/loadtest eval}): a sweep of strategy × strength
 * points ({@link dev.trimtab.loadtest.eval.SweepConfig}, from YAML) run against a completions server by
 * {@link dev.trimtab.loadtest.eval.Evaluation#run}, measuring per point the gold rewards, KL(π‖π_base) per sequence
 * ({@link dev.trimtab.loadtest.eval.KlMethod}, {@link dev.trimtab.loadtest.eval.BestOfNKl}), distinct-2,
 * degeneration and cost ({@link dev.trimtab.loadtest.eval.PointResult}). Beyond the completions wire format it needs
 * {@code return_token_ids}, token-id prompts and {@code echo} with {@code max_tokens: 0}; the gold rewards come from
 * {@code dev.trimtab.rewards.gold}. Reports and charts in {@code report}, the command line in {@code cli}.
 */
package dev.trimtab.loadtest.eval;
