package dev.trimtab.training.task;

/**
 * One generated review, split as a model sees it.
 *
 * @param prompt the title line, sometimes with the review's first words (never ending in a space)
 * @param completion the rest, starting with a space
 * @param sentiment the latent sentiment in [-1, 1] it was drawn with
 */
public record Review(String prompt, String completion, double sentiment) {}
