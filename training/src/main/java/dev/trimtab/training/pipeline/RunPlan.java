package dev.trimtab.training.pipeline;

import dev.trimtab.training.objective.Objective;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's objective and tokenized data.
 *
 * @param objective the loss
 * @param train training examples
 * @param heldOut held-out examples
 * @param dataFiles the files the examples were read from (hashed into the manifest)
 * @param dropped examples dropped for not fitting the context
 */
record RunPlan<E>(Objective<E> objective, List<E> train, List<E> heldOut, List<Path> dataFiles, int dropped) {}
