/**
 * The plug-in interface of alignment strategies and what they share. A strategy is one package
 * beside this one with the same parts: a parameters record that validates itself, implements {@link
 * dev.trimtab.decoding.strategy.AlignmentStrategy} and exports a {@link
 * dev.trimtab.decoding.strategy.StrategyDescriptor}, and a {@link
 * dev.trimtab.decoding.strategy.StepDecoder} the scheduler drives through a {@link
 * dev.trimtab.decoding.strategy.RequestContext} and {@link dev.trimtab.decoding.strategy.Row}s.
 * This package also holds the models a strategy may name ({@link
 * dev.trimtab.decoding.strategy.AlignmentModels}, by {@link dev.trimtab.decoding.strategy.ModelKind}),
 * parameter checks, top-k candidates, choosing among scored candidates and the sampling tail ({@link
 * dev.trimtab.decoding.strategy.TokenStep}).
 */
package dev.trimtab.decoding.strategy;
